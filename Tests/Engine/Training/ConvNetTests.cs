using Engine.Activations;
using Engine.Training;
using Xunit.Abstractions;

namespace Tests.Engine.Training;

public class ConvNetTests(ITestOutputHelper output)
{
    private const int Label = 3;

    // The forward pass fuses bias and activation and the backward pass reads the activation's output for all of
    // these (noisy_relu without noise is ReLU, whose kink at 0 the comparison below steps around).
    public static TheoryData<string> GradientActivations() => ["relu_softsign", "elu", "softsign", "noisy_relu"];

    // GELU and SiLU read the input: the unfused path. (Not in the gradient test: their minimum below 0 and their
    // values flushed to ±0 far below it make max-pooling windows near-ties, whose winner every step changes.)
    public static TheoryData<string> ForwardActivations() => [.. GradientActivations(), "gelu_tanh", "silu"];

    [Theory]
    [MemberData(nameof(GradientActivations))]
    public void Backward_MatchesCentralFiniteDifferencesOfTheLoss(string id)
    {
        ConvNet network = ConvNet.Create(ActivationFunctions.Kernels.Single(k => k.Id == id), seed: 3);
        var random = new Random(4);
        // Non-zero biases so that their gradients are exercised away from the initial state.
        foreach (float[] bias in new[] { network.Parameters.ConvBias, network.Parameters.DenseBias })
        {
            for (int i = 0; i < bias.Length; i++)
            {
                bias[i] = (float)(random.NextDouble() - 0.5) * 0.2f;
            }
        }
        float[] image = NoiseImage(random);
        var workspace = new ConvNetWorkspace();
        var gradients = new ConvNetParameters();
        network.Forward(image, workspace);
        network.Backward(Label, workspace, gradients);

        int[] routing = (int[])workspace.PoolSource.Clone();
        bool[] active = [.. workspace.Pooled.Select(v => v > 0)];
        bool kinked = id == "noisy_relu";
        string[] names = ["ConvWeight", "ConvBias", "DenseWeight", "DenseBias"];
        foreach (var (tensor, gradient, name) in network.Parameters.Tensors.Zip(gradients.Tensors, names))
        {
            // A convolution weight moves all 576 pre-activations of its filter and can change which element
            // wins a pooling window, where the loss has a kink; such samples are replaced by others, so every
            // comparison is made where the loss is smooth. (Biases shift whole windows and cannot do that.)
            // ReLU (noisy_relu) has a kink at 0 too: a smaller step, and samples where a pooled unit changes sign are replaced.
            float h = name == "ConvWeight" || kinked ? 1e-3f : 1e-2f;
            int compared = 0;
            int tries = 0;
            double worst = 0;
            while (compared < Math.Min(20, tensor.Length) && tries++ < 100)
            {
                // Every element of a small tensor in turn; for ReLU, whose kink can make an element's every step
                // unusable, random elements of it instead.
                int index = tensor.Length <= 20 && !kinked ? compared : random.Next(tensor.Length);
                float saved = tensor[index];
                float plus = saved + h;
                float minus = saved - h;
                tensor[index] = plus;
                double lossPlus = Loss(network, image, workspace);
                bool smooth = workspace.PoolSource.AsSpan().SequenceEqual(routing) && (!kinked || SameSigns(workspace, active));
                tensor[index] = minus;
                double lossMinus = Loss(network, image, workspace);
                smooth &= workspace.PoolSource.AsSpan().SequenceEqual(routing) && (!kinked || SameSigns(workspace, active));
                tensor[index] = saved;
                if (!smooth)
                {
                    continue;
                }

                double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
                double analytic = gradient[index];
                // Relative 1e−2, with a floor for the float32 rounding of the logits (≈ 3e−7 / 2h).
                double error = Math.Abs(analytic - numeric) / (Math.Max(Math.Abs(analytic), Math.Abs(numeric)) + 1e-3);
                worst = Math.Max(worst, error);
                Assert.True(error < 1e-2, $"{id} {name}[{index}]: backward {analytic:E4}, finite differences {numeric:E4}");
                compared++;
            }
            Assert.Equal(Math.Min(20, tensor.Length), compared);
            output.WriteLine($"{id} {name}: {compared} compared, max relative error {worst:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(ForwardActivations))]
    public void Forward_WithoutNoise_ActivatesConvolutionPlusBias_ExactlyAsTheUnfusedKernel(string id)
    {
        ActivationFunction activation = ActivationFunctions.Kernels.Single(k => k.Id == id);
        ConvNet network = ConvNet.Create(activation, seed: 12);
        var random = new Random(13);
        float[] bias = network.Parameters.ConvBias;
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = (float)(random.NextDouble() - 0.5);
        }
        var workspace = new ConvNetWorkspace();
        network.Forward(NoiseImage(random), workspace);

        // Output-based activations keep the unbiased convolution (the bias is fused into the activation); the
        // others keep the biased input their backward pass reads.
        int area = workspace.Activated.Length / bias.Length;
        float[] preActivation = activation.GradientSource == GradientSource.Output
            ? [.. workspace.Convolution.Select((v, i) => v + bias[i / area])]
            : (float[])workspace.Convolution.Clone();
        float[] expected = new float[preActivation.Length];
        activation.Forward(preActivation, expected);
        Assert.Equal(expected, workspace.Activated);
    }

    [Fact]
    public void Backward_ReturnsTheCrossEntropy_AndAddsToTheGradients()
    {
        ConvNet network = ConvNet.Create(ActivationFunctions.ReluSoftsign, seed: 5);
        float[] image = SyntheticImage(new Random(6));
        var workspace = new ConvNetWorkspace();
        var once = new ConvNetParameters();
        var twice = new ConvNetParameters();

        network.Forward(image, workspace);
        float loss = network.Backward(Label, workspace, once);
        network.Backward(Label, workspace, twice);
        network.Backward(Label, workspace, twice);

        Assert.Equal(-Math.Log(workspace.Probabilities[Label]), loss, 5);
        foreach (var (single, doubled) in once.Tensors.Zip(twice.Tensors))
        {
            Assert.Contains(single, g => g != 0);
            for (int i = 0; i < single.Length; i++)
            {
                Assert.Equal(2.0 * single[i], doubled[i], Math.Abs(single[i]) * 1e-5 + 1e-9);
            }
        }
    }

    [Fact]
    public void Forward_GivesProbabilities_AndPredictIsTheirArgMax()
    {
        ConvNet network = ConvNet.Create(ActivationFunctions.Relu, seed: 7);
        float[] image = SyntheticImage(new Random(8));
        var workspace = new ConvNetWorkspace();

        int predicted = network.Predict(image, workspace);

        Assert.Equal(1.0, workspace.Probabilities.Sum(p => (double)p), 5);
        Assert.All(workspace.Probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(Array.IndexOf(workspace.Probabilities, workspace.Probabilities.Max()), predicted);
        int largestLogit = Array.IndexOf(workspace.Logits, workspace.Logits.Max());
        Assert.Equal(largestLogit, predicted);
    }

    [Fact]
    public void Create_SameSeedSameWeights_HeScaled_ZeroBiases()
    {
        ConvNetParameters first = ConvNet.Create(ActivationFunctions.Relu, seed: 9).Parameters;
        ConvNetParameters second = ConvNet.Create(ActivationFunctions.Elu, seed: 9).Parameters;
        ConvNetParameters other = ConvNet.Create(ActivationFunctions.Relu, seed: 10).Parameters;

        Assert.Equal(first.ConvWeight, second.ConvWeight);
        Assert.Equal(first.DenseWeight, second.DenseWeight);
        Assert.NotEqual(first.ConvWeight, other.ConvWeight);
        Assert.All(first.ConvBias, b => Assert.Equal(0f, b));
        Assert.All(first.DenseBias, b => Assert.Equal(0f, b));
        // He initialisation: variance 2 / fan-in (25 for the convolution, 2,880 for the dense layer).
        Assert.InRange(Variance(first.ConvWeight), 2.0 / 25 * 0.85, 2.0 / 25 * 1.15);
        Assert.InRange(Variance(first.DenseWeight), 2.0 / 2880 * 0.97, 2.0 / 2880 * 1.03);
    }

    // The loss of the current weights, from the logits in double so that only their float32 rounding is noise.
    private static double Loss(ConvNet network, float[] image, ConvNetWorkspace workspace)
    {
        network.Forward(image, workspace);
        double max = workspace.Logits.Max();
        double logSum = max + Math.Log(workspace.Logits.Sum(l => Math.Exp(l - max)));
        return logSum - workspace.Logits[Label];
    }

    // A smooth blob of ink on a dark background, like a normalised digit, with a little pixel noise so no two
    // pooling candidates tie.
    private static float[] SyntheticImage(Random random)
    {
        var image = new float[ConvNet.InputSize];
        for (int y = 0; y < ConvNet.InputSide; y++)
        {
            for (int x = 0; x < ConvNet.InputSide; x++)
            {
                double ring = Math.Abs(Math.Sqrt((x - 14.0) * (x - 14.0) + (y - 13.0) * (y - 13.0) / 2) - 6);
                image[y * ConvNet.InputSide + x] = (float)Math.Clamp(1.2 - ring / 2 + random.NextDouble() * 0.05, 0, 1);
            }
        }
        return image;
    }

    // Uniform noise: neighbouring pre-activations differ by O(0.1), so pooling windows rarely change winner
    // under a finite-difference step and no two candidates tie.
    private static float[] NoiseImage(Random random) =>
        Enumerable.Range(0, ConvNet.InputSize).Select(_ => (float)random.NextDouble()).ToArray();

    // Whether every pooled unit (the only ones the loss sees) is on the same side of 0 as before: one crossing it puts
    // ReLU's kink between the samples.
    private static bool SameSigns(ConvNetWorkspace workspace, bool[] active) =>
        workspace.Pooled.Select(v => v > 0).SequenceEqual(active);

    private static double Variance(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }
}
