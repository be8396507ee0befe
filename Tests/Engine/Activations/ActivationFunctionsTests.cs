using System.Text.RegularExpressions;
using Engine.Activations;

namespace Tests.Engine.Activations;

public class ActivationFunctionsTests
{
    private static readonly string[] ServedIds = ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"];
    private static readonly string[] StudiedIds = ["gelu_tanh", "silu", "prelu", "selu"];

    [Fact]
    public void All_IsTheArticlesSixThenTheModernFour_Unique_InOrder()
    {
        Assert.Equal([.. ServedIds, .. StudiedIds], ActivationFunctions.All.Select(a => a.Id));
        Assert.Equal([.. ServedIds, .. StudiedIds], ActivationFunctions.Ids);
        Assert.Equal(ActivationFunctions.Ids.Count, ActivationFunctions.Ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Served_IsTheActivationsWithShippedModels_InTheRegistrysOrder()
    {
        Assert.Equal(ServedIds, ActivationFunctions.Served.Select(a => a.Id));
        Assert.All(ActivationFunctions.Served, a => Assert.Equal(ActivationRole.Served, a.Role));
        Assert.Equal(StudiedIds, ActivationFunctions.All.Where(a => a.Role == ActivationRole.Studied).Select(a => a.Id));
    }

    [Fact]
    public void NamedProperties_AreTheMembersOfAll()
    {
        Assert.Same(ActivationFunctions.Relu, ActivationFunctions.Get("relu"));
        Assert.Same(ActivationFunctions.LeakyRelu, ActivationFunctions.Get("leaky_relu"));
        Assert.Same(ActivationFunctions.Elu, ActivationFunctions.Get("elu"));
        Assert.Same(ActivationFunctions.NoisyRelu, ActivationFunctions.Get("noisy_relu"));
        Assert.Same(ActivationFunctions.Softsign, ActivationFunctions.Get("softsign"));
        Assert.Same(ActivationFunctions.ReluSoftsign, ActivationFunctions.Get("relu_softsign"));
        Assert.Same(ActivationFunctions.GeluTanh, ActivationFunctions.Get("gelu_tanh"));
        Assert.Same(ActivationFunctions.Silu, ActivationFunctions.Get("silu"));
        Assert.Same(ActivationFunctions.PRelu, ActivationFunctions.Get("prelu"));
        Assert.Same(ActivationFunctions.Selu, ActivationFunctions.Get("selu"));
    }

    [Fact]
    public void EveryOperatorOfTheEngine_IsRegistered()
    {
        // An operator struct is an activation; forgetting its line in the registry would leave it out of every list.
        Type[] operators = [.. typeof(ActivationFunction).Assembly.GetTypes()
            .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && t.GetInterfaces().Any(i => i.Name == "IActivationOperator"))];
        Assert.NotEmpty(operators);
        Type[] registered = [.. ActivationFunctions.All.Select(OperatorOf)];
        Assert.All(operators, o => Assert.Contains(o, registered));

        static Type OperatorOf(ActivationFunction activation)
        {
            for (Type? type = activation.GetType(); type is not null; type = type.BaseType)
            {
                if (type.IsGenericType && type.GetGenericArguments() is [Type argument])
                {
                    return argument;
                }
            }
            throw new InvalidOperationException($"{activation.Id} has no operator.");
        }
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("RELU")]
    [InlineData("Relu_Softsign")]
    [InlineData("LEAKY_relu")]
    [InlineData("GELU_TANH")]
    [InlineData("PReLU")]
    public void TryGet_IsCaseInsensitive(string id)
    {
        Assert.True(ActivationFunctions.TryGet(id, out ActivationFunction? activation));
        Assert.Equal(id, activation.Id, ignoreCase: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sigmoid")]
    [InlineData("relu ")]
    [InlineData("relu-softsign")]
    public void Unknown_TryGetFails_GetThrowsListingIds(string id)
    {
        Assert.False(ActivationFunctions.TryGet(id, out ActivationFunction? activation));
        Assert.Null(activation);

        var error = Assert.Throws<ArgumentException>(() => ActivationFunctions.Get(id));
        Assert.Equal("id", error.ParamName);
        Assert.Contains($"'{id}'", error.Message);
        foreach (string valid in ActivationFunctions.Ids)
        {
            Assert.Contains(valid, error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(ActivationTestData.KernelIds), MemberType = typeof(ActivationTestData))]
    public void EachActivation_DescribesItself(string id)
    {
        ActivationFunction activation = ActivationTestData.Kernel(id);
        Assert.False(string.IsNullOrWhiteSpace(activation.Name));
        Assert.False(string.IsNullOrWhiteSpace(activation.Formula));
        Assert.False(string.IsNullOrWhiteSpace(activation.DerivativeFormula));
        Assert.NotEqual(activation.Formula, activation.DerivativeFormula);
        Assert.Matches(new Regex("^#[0-9a-f]{6}$"), activation.Colour);
        Assert.Equal(id, activation.ToString());
    }

    [Fact]
    public void FormulasNamesAndColours_AreDistinct()
    {
        int count = ActivationFunctions.All.Count;
        Assert.Equal(count, ActivationFunctions.All.Select(a => a.Name).Distinct().Count());
        Assert.Equal(count, ActivationFunctions.All.Select(a => a.Colour).Distinct().Count());
        // Noisy ReLU is ReLU at inference; its formula says how it differs while training.
        Assert.Equal(count, ActivationFunctions.All.Select(a => a.Formula).Distinct().Count());
    }

    [Fact]
    public void OnlyPRelu_HasALearnedSlope_StartingAtAQuarter()
    {
        Assert.Equal(["prelu"], ActivationFunctions.All.Where(a => a.HasLearnedSlope).Select(a => a.Id));
        Assert.Equal(0.25f, ActivationFunctions.PRelu.InitialSlope);
        Assert.All(ActivationFunctions.All.Where(a => !a.HasLearnedSlope), a => Assert.Null(a.InitialSlope));
        // Its plain kernels apply the initial slope.
        Assert.Equal(-0.5f, ActivationFunctions.PRelu.Invoke(-2f));
        Assert.Equal(0.25f, ActivationFunctions.PRelu.Derivative(-2f));
        Assert.Equal(3f, ActivationFunctions.PRelu.Invoke(3f));
    }
}
