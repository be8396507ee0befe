using Engine.Onnx;

namespace Tests.Engine.Onnx;

public class ConvNetWeightsTests
{
    [Fact]
    public void ShapeConstants_MatchTheBaselineNetwork()
    {
        Assert.Equal(24, ConvNetWeights.ConvOutputSize);
        Assert.Equal(12, ConvNetWeights.PooledSize);
        Assert.Equal(2880, ConvNetWeights.DenseInputLength);
    }

    [Fact]
    public void CorrectLengths_AreAcceptedAndKeptByReference()
    {
        float[] convWeight = new float[500];
        var weights = new ConvNetWeights(convWeight, new float[20], new float[28800], new float[10]);
        Assert.Same(convWeight, weights.ConvWeight);
    }

    [Theory]
    [InlineData(499, 20, 28800, 10, "ConvWeight")]
    [InlineData(500, 21, 28800, 10, "ConvBias")]
    [InlineData(500, 20, 2880, 10, "DenseWeight")]
    [InlineData(500, 20, 28800, 0, "DenseBias")]
    public void WrongLength_ThrowsNamingTheArray(int convWeight, int convBias, int denseWeight, int denseBias, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => new ConvNetWeights(
            new float[convWeight], new float[convBias], new float[denseWeight], new float[denseBias]));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void NullArray_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ConvNetWeights(new float[500], null!, new float[28800], new float[10]));
    }
}
