using Engine.Activations;

namespace Tests.Engine.Activations;

public class ActivationFunctionsTests
{
    private static readonly string[] ExpectedIds = ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"];

    [Fact]
    public void Ids_AreExactlyTheSixActivations_Unique_InOrder()
    {
        Assert.Equal(ExpectedIds, ActivationFunctions.Ids);
        Assert.Equal(ExpectedIds, ActivationFunctions.All.Select(a => a.Id));
        Assert.Equal(ActivationFunctions.Ids.Count, ActivationFunctions.Ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
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
    }

    [Fact]
    public void Kernels_AreAllThenGeluAndSilu()
    {
        Assert.Equal([.. ExpectedIds, "gelu_tanh", "silu"], ActivationFunctions.Kernels.Select(k => k.Id));
        Assert.Equal(ActivationFunctions.All, ActivationFunctions.Kernels.Take(6));
        Assert.Same(ActivationFunctions.GeluTanh, ActivationFunctions.Kernels[6]);
        Assert.Same(ActivationFunctions.Silu, ActivationFunctions.Kernels[7]);
    }

    [Theory]
    [InlineData("gelu_tanh")]
    [InlineData("silu")]
    [InlineData("GELU_TANH")]
    public void ReferenceKernels_AreNotServed_TryGetFails_GetThrows(string id)
    {
        Assert.DoesNotContain(ActivationFunctions.All, a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(id, ActivationFunctions.Ids, StringComparer.OrdinalIgnoreCase);
        Assert.False(ActivationFunctions.TryGet(id, out ActivationFunction? activation));
        Assert.Null(activation);
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => ActivationFunctions.Get(id)).ParamName);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("RELU")]
    [InlineData("Relu_Softsign")]
    [InlineData("LEAKY_relu")]
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
        foreach (string valid in ExpectedIds)
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
        Assert.Equal(id, activation.ToString());
    }

    [Fact]
    public void FormulasAndNames_AreDistinct()
    {
        Assert.Equal(6, ActivationFunctions.All.Select(a => a.Name).Distinct().Count());
        Assert.Equal(6, ActivationFunctions.All.Select(a => a.Formula).Distinct().Count());
        Assert.Equal(8, ActivationFunctions.Kernels.Select(a => a.Name).Distinct().Count());
    }
}
