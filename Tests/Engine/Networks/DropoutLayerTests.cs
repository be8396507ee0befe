using Engine.Networks;

namespace Tests.Engine.Networks;

public class DropoutLayerTests
{
    private const float Rate = 0.3f;
    private const int Count = 4;
    private static readonly FeatureShape Shape = new(5, 5, 100);

    [Fact]
    public void Inference_IsTheIdentity()
    {
        var layer = new DropoutLayer("dropout", Shape, Rate);
        float[] input = LayerHarness.Uniform(Count * Shape.Size, seed: 1);

        (float[] output, _) = LayerHarness.Forward(layer, [], input, Count, training: null);

        Assert.Equal(input, output);
    }

    [Fact]
    public void Training_DropsAboutTheRate_ScalesTheRest_AndBackwardAppliesTheSameMask()
    {
        var layer = new DropoutLayer("dropout", Shape, Rate);
        // Inputs away from zero, so a zero in the output can only be a dropped value.
        float[] input = LayerHarness.Uniform(Count * Shape.Size, seed: 2, 0.5f, 1.5f);
        float[] outputGradient = LayerHarness.Uniform(input.Length, seed: 3, 0.5f, 1.5f);
        float keep = 1f / (1f - Rate);

        (float[] output, object? scratch) = LayerHarness.Forward(layer, [], input, Count, new Random(4));
        (float[] inputGradient, _) = LayerHarness.Backward(layer, [], input, output, outputGradient, Count, scratch);

        int dropped = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (output[i] == 0)
            {
                dropped++;
                Assert.Equal(0f, inputGradient[i]);
            }
            else
            {
                Assert.Equal(input[i] * keep, output[i]);
                Assert.Equal(outputGradient[i] * keep, inputGradient[i]);
            }
        }
        // 10,000 values: the dropped share's standard deviation is under 0.5 %.
        Assert.InRange(dropped / (double)input.Length, Rate - 0.02, Rate + 0.02);
    }

    [Fact]
    public void Training_MasksDifferFromDrawToDraw_AndRepeatWithTheSeed()
    {
        var layer = new DropoutLayer("dropout", Shape, Rate);
        float[] input = LayerHarness.Uniform(Count * Shape.Size, seed: 5, 0.5f, 1.5f);

        float[] first = LayerHarness.Forward(layer, [], input, Count, new Random(6)).Output;
        float[] again = LayerHarness.Forward(layer, [], input, Count, new Random(6)).Output;
        float[] other = LayerHarness.Forward(layer, [], input, Count, new Random(7)).Output;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void RateZero_KeepsEverythingWhileTraining()
    {
        var layer = new DropoutLayer("dropout", Shape, 0f);
        float[] input = LayerHarness.Uniform(Count * Shape.Size, seed: 8);

        Assert.Equal(input, LayerHarness.Forward(layer, [], input, Count, new Random(9)).Output);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void Constructor_RejectsRatesOutsideZeroToOne(float rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutLayer("dropout", Shape, rate));
    }
}
