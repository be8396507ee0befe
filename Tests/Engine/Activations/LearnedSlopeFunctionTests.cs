using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>PReLU with a slope per unit, as a network's layer runs it, against the formula written out value by value.</summary>
public class LearnedSlopeFunctionTests
{
    private static readonly ActivationFunction PRelu = ActivationFunctions.PRelu;

    // One unit, a few, the networks' 16, 20, 32 and 128, and more than one tiled block holds (1024 values).
    public static TheoryData<int, int> UnitsAndRows() => new()
    {
        { 1, 1 }, { 1, 300 }, { 3, 37 }, { 16, 784 }, { 20, 576 }, { 32, 49 }, { 128, 16 }, { 1500, 3 },
    };

    [Theory]
    [MemberData(nameof(UnitsAndRows))]
    public void ForwardWithSlopes_IsXAboveZeroAndEachUnitsSlopeTimesXBelow_InPlaceToo(int units, int rows)
    {
        float[] x = Inputs(units * rows, seed: units);
        float[] slopes = Slopes(units);
        float[] y = new float[x.Length];

        PRelu.ForwardWithSlopes(x, slopes, y);

        for (int i = 0; i < x.Length; i++)
        {
            float expected = x[i] < 0f ? slopes[i % units] * x[i] : x[i];
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[i]));
        }
        float[] inPlace = (float[])x.Clone();
        PRelu.ForwardWithSlopes(inPlace, slopes, inPlace);
        Assert.Equal(y, inPlace);
    }

    [Theory]
    [MemberData(nameof(UnitsAndRows))]
    public void BackwardWithSlopes_GivesDyTimesTheSlope_AndAddsEachUnitsSlopeGradient(int units, int rows)
    {
        float[] x = Inputs(units * rows, seed: units + 1);
        float[] dy = Inputs(units * rows, seed: units + 2).Select(v => Math.Clamp(v, -3f, 3f)).ToArray();
        float[] slopes = Slopes(units);
        float[] dx = new float[x.Length];
        float[] slopeGradient = Enumerable.Repeat(0.5f, units).ToArray();

        PRelu.BackwardWithSlopes(x, slopes, dy, dx, slopeGradient);

        float[] expectedGradient = Enumerable.Repeat(0.5f, units).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            float expected = dy[i] * (x[i] > 0f ? 1f : slopes[i % units]);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(dx[i]));
            // ∂f/∂a = x below 0, summed row by row as the layer's other gradients are.
            expectedGradient[i % units] += dy[i] * (x[i] < 0f ? x[i] : 0f);
        }
        Assert.Equal(expectedGradient, slopeGradient);
    }

    [Fact]
    public void TheWholeNumberOfUnits_AndSeparateMemory_AreRequired()
    {
        float[] x = new float[10];
        Assert.Throws<ArgumentException>(() => PRelu.ForwardWithSlopes(x, new float[3], new float[10]));
        Assert.Throws<ArgumentException>(() => PRelu.BackwardWithSlopes(x, new float[5], new float[10], x, new float[5]));
        Assert.Throws<ArgumentException>(() => PRelu.BackwardWithSlopes(x, new float[5], new float[10], new float[10], new float[4]));
        Assert.Throws<NotSupportedException>(() => ActivationFunctions.LeakyRelu.ForwardWithSlopes(x, new float[5], new float[10]));
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void ForwardScalar_IsTheScalarReference_ValueByValue(string id)
    {
        ActivationFunction activation = Kernel(id);
        float[] x = Inputs(1001, seed: 3);
        float[] y = new float[x.Length];

        activation.ForwardScalar(x, y);

        Assert.Equal(x.Select(v => BitConverter.SingleToInt32Bits(activation.Invoke(v))), y.Select(BitConverter.SingleToInt32Bits));
    }

    // Around the initial 0.25, with a zero and a negative slope among them.
    private static float[] Slopes(int units) => [.. Enumerable.Range(0, units).Select(u => u % 7 == 3 ? 0f : u % 5 == 4 ? -0.3f : 0.25f + 0.01f * (u % 11))];
}
