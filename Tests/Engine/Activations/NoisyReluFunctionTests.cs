using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

public class NoisyReluFunctionTests
{
    private static ActivationFunction Noisy => ActivationFunctions.NoisyRelu;

    [Fact]
    public void TrainingNoise_ChangesValues()
    {
        float[] x = Inputs(1000, seed: 3).Select(v => Math.Clamp(v, -5f, 5f)).ToArray();
        float[] noisy = (float[])x.Clone();
        Noisy.ApplyTrainingNoise(noisy, new Random(1));
        Assert.True(x.Zip(noisy).Count(p => p.First != p.Second) > 990);
    }

    [Fact]
    public void TrainingNoise_IsReproducibleWithTheSameSeed_AndDiffersWithAnother()
    {
        float[] x = Inputs(500, seed: 4).Select(v => Math.Clamp(v, -5f, 5f)).ToArray();
        float[] first = (float[])x.Clone();
        float[] second = (float[])x.Clone();
        float[] other = (float[])x.Clone();
        Noisy.ApplyTrainingNoise(first, new Random(42));
        Noisy.ApplyTrainingNoise(second, new Random(42));
        Noisy.ApplyTrainingNoise(other, new Random(43));
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(2f)]
    [InlineData(-3f)]
    public void TrainingNoise_IsCentredWithVarianceSigmaOfX(float x)
    {
        // 20,000 samples: the sample variance's relative standard error is √(2/n) = 1 %, so 5 % is 5σ.
        const int Samples = 20_000;
        float[] values = Enumerable.Repeat(x, Samples).ToArray();
        Noisy.ApplyTrainingNoise(values, new Random(7));

        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (Samples - 1);
        double sigma = 1 / (1 + Math.Exp(-x));
        Assert.InRange(mean, x - 5 * Math.Sqrt(sigma / Samples), x + 5 * Math.Sqrt(sigma / Samples));
        Assert.InRange(variance, sigma * 0.95, sigma * 1.05);
    }

    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void Inference_IsRelu(VectorWidth width)
    {
        float[] x = Inputs(1001, seed: 8);
        float[] noisy = new float[x.Length];
        float[] relu = new float[x.Length];
        Noisy.Forward(x, noisy, width);
        ActivationFunctions.Relu.Forward(x, relu, width);
        Assert.Equal(relu.Select(BitConverter.SingleToInt32Bits), noisy.Select(BitConverter.SingleToInt32Bits));

        float[] dy = Inputs(1001, seed: 9);
        Noisy.Backward(x, dy, noisy, width);
        ActivationFunctions.Relu.Backward(x, dy, relu, width);
        Assert.Equal(relu, noisy);
        Assert.All(x, v => Assert.Equal(ActivationFunctions.Relu.Invoke(v), Noisy.Invoke(v)));
    }

    [Theory]
    [MemberData(nameof(ActivationTestData.KernelIds), MemberType = typeof(ActivationTestData))]
    public void OtherActivations_HaveNoTrainingNoise(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        float[] x = Inputs(100, seed: 10);
        float[] after = (float[])x.Clone();
        activation.ApplyTrainingNoise(after, new Random(1));
        if (id == "noisy_relu")
        {
            Assert.NotEqual(x, after);
        }
        else
        {
            Assert.Equal(x, after);
        }
    }
}
