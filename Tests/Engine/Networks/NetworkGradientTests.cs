using Engine.Activations;
using Engine.Networks;
using Xunit.Abstractions;

namespace Tests.Engine.Networks;

/// <summary>
/// <see cref="Network.Backward"/> against central finite differences of the summed cross-entropy, for every
/// parameter of a small network that has every kind of layer: two convolutions (the second with several input
/// channels), a strong LRN far from the identity, max pooling (the second over an odd size), dense layers.
/// </summary>
/// <remarks>
/// The loss has kinks where a pooling window changes winner and, for ReLU-like activations, where a unit
/// crosses zero. Each finite difference is taken with a step that stays on one side of every kink (the
/// winners and the signs are compared with those of the unperturbed pass), the largest of 10⁻² … 10⁻⁴ that
/// does; a parameter for which none does is not compared, and at most a fifth of a tensor (or one element) may
/// be left out. The tolerance is 1 % plus the float32 rounding of the loss divided by the step.
/// </remarks>
public class NetworkGradientTests(ITestOutputHelper output)
{
    private const int Batch = 3;
    private static readonly FeatureShape Image = new(10, 10, 1);

    public static TheoryData<string> SmoothActivations() => ["elu", "softsign", "relu_softsign", "gelu_tanh", "silu"];

    // Noisy ReLU runs as ReLU here; while training, its backward pass holds the noise constant although the
    // noise's scale depends on x, so finite differences of a noisy pass would not match it (by design).
    // SELU's slope jumps at 0 from λα to λ. PReLU's learned slopes are parameters like the others here: their
    // gradients are checked too.
    private static readonly string[] Kinked = ["relu", "leaky_relu", "noisy_relu", "prelu", "selu"];

    public static TheoryData<string> KinkedActivations() => new(Kinked);

    [Theory]
    [MemberData(nameof(SmoothActivations))]
    [MemberData(nameof(KinkedActivations))]
    public void Backward_MatchesFiniteDifferences_InInferenceMode(string id)
    {
        Network network = CreateNetwork(id, dropout: false, seed: 3);
        CheckEveryParameter(network, id, trainingSeed: null);
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("relu")]
    [InlineData("prelu")]
    public void Backward_MatchesFiniteDifferences_WhileTraining_WithTheSameDropoutMask(string id)
    {
        // Every forward pass draws its dropout mask from a fresh Random with the same seed, so the
        // loss is a deterministic function of the parameters whose gradient the backward pass must give.
        Network network = CreateNetwork(id, dropout: true, seed: 4);
        CheckEveryParameter(network, id, trainingSeed: 21);
    }

    private static NetworkArchitecture Small(bool dropout) => new(
        "gradient-check",
        "10×10×1 → conv 3×3×4 (pad 1) → activation → LRN(3, α = 2) → max-pool → conv 3×3×3 (pad 1) → activation → max-pool "
        + "→ dense 6 → activation → [dropout 0.5] → dense 10",
        activation =>
        {
            var conv1 = new ConvolutionLayer("conv1", Image, filters: 4, kernel: 3, padding: 1);
            var act1 = new ActivationLayer(conv1, activation);
            var norm = new LocalResponseNormalizationLayer("lrn1", act1.Output, size: 3, alpha: 2f, beta: 0.75f, bias: 1f);
            var pool1 = new MaxPoolLayer("pool1", norm.Output);
            var conv2 = new ConvolutionLayer("conv2", pool1.Output, filters: 3, kernel: 3, padding: 1);
            var act2 = new ActivationLayer(conv2, activation);
            var pool2 = new MaxPoolLayer("pool2", act2.Output);
            var dense1 = new DenseLayer("dense1", pool2.Output, 6);
            var act3 = new ActivationLayer(dense1, activation);
            Layer last = dropout ? new DropoutLayer("dropout1", act3.Output, 0.5f) : act3;
            List<Layer> layers = [conv1, act1, norm, pool1, conv2, act2, pool2, dense1, act3];
            if (dropout)
            {
                layers.Add(last);
            }
            layers.Add(new DenseLayer("dense2", last.Output, 10));
            return layers;
        });

    private static Network CreateNetwork(string id, bool dropout, int seed)
    {
        Network network = Network.Create(Small(dropout), ActivationFunctions.All.Single(k => k.Id == id), seed);
        Assert.Equal(5 * 5 * 3, network.Layers.OfType<MaxPoolLayer>().Last().Input.Size);
        // Non-zero biases (and PReLU slopes, some negative), so their gradients are checked away from the initial state.
        var random = new Random(seed + 100);
        foreach (ParameterTensor bias in network.Tensors.Where(t => !t.IsWeight))
        {
            foreach (ref float value in network.Parameters.AsSpan(bias.Offset, bias.Length))
            {
                value = (random.NextSingle() - 0.5f) * 0.4f;
            }
        }
        return network;
    }

    private void CheckEveryParameter(Network network, string id, int? trainingSeed)
    {
        var random = new Random(5);
        float[] images = Enumerable.Range(0, Batch * network.InputSize).Select(_ => random.NextSingle()).ToArray();
        byte[] labels = [.. Enumerable.Range(0, Batch).Select(_ => (byte)random.Next(10))];
        bool kinked = Kinked.Contains(id);
        NetworkWorkspace workspace = network.CreateWorkspace(Batch);

        network.Forward(images, Batch, workspace, Training());
        var gradient = new float[network.Parameters.Length];
        (double reportedLoss, _) = network.Backward(labels, Batch, workspace, gradient);
        string[] baseline = Kinks(network, workspace, kinked);
        Assert.Equal(Loss(network, workspace, labels), reportedLoss, 1e-4);

        foreach (ParameterTensor tensor in network.Tensors)
        {
            int compared = 0;
            double worst = 0;
            for (int index = tensor.Offset; index < tensor.Offset + tensor.Length; index++)
            {
                if (FiniteDifference(index) is not (double numeric, float h))
                {
                    continue;
                }
                double analytic = gradient[index];
                // Relative 1 %, plus the float32 rounding of the forward pass: the loss is computed to about 1e−6,
                // and the difference divides that by 2h.
                double error = Math.Abs(analytic - numeric) / (0.01 * Math.Max(Math.Abs(analytic), Math.Abs(numeric)) + 1e-6 / (2 * h));
                worst = Math.Max(worst, error);
                Assert.True(error <= 1, $"{id} {tensor.Name}[{index - tensor.Offset}]: backward {analytic:E4}, finite differences {numeric:E4} (step {h})");
                compared++;
            }
            output.WriteLine($"{id} {tensor.Name}: {compared} of {tensor.Length} compared, worst error {worst:F2} of the tolerance");
            Assert.True(compared >= tensor.Length - Math.Max(1, tensor.Length / 5), $"{tensor.Name}: only {compared} of {tensor.Length} compared");
        }

        (double Numeric, float Step)? FiniteDifference(int index)
        {
            float saved = network.Parameters[index];
            try
            {
                foreach (float h in (float[])[1e-2f, 3e-3f, 1e-3f, 3e-4f, 1e-4f])
                {
                    float plus = saved + h;
                    float minus = saved - h;
                    network.Parameters[index] = plus;
                    network.Forward(images, Batch, workspace, Training());
                    double lossPlus = Loss(network, workspace, labels);
                    bool smooth = Kinks(network, workspace, kinked).SequenceEqual(baseline);
                    network.Parameters[index] = minus;
                    network.Forward(images, Batch, workspace, Training());
                    double lossMinus = Loss(network, workspace, labels);
                    smooth &= Kinks(network, workspace, kinked).SequenceEqual(baseline);
                    if (smooth)
                    {
                        return ((lossPlus - lossMinus) / ((double)plus - minus), h);
                    }
                }
                return null;
            }
            finally
            {
                network.Parameters[index] = saved;
            }
        }

        Random? Training() => trainingSeed is int seed ? new Random(seed) : null;
    }

    // Σ over the batch of log Σ exp(z) − z[label], from the float logits in double.
    private static double Loss(Network network, NetworkWorkspace workspace, byte[] labels)
    {
        double loss = 0;
        for (int n = 0; n < Batch; n++)
        {
            double[] z = [.. workspace.Logits.Slice(n * network.Classes, network.Classes).ToArray().Select(v => (double)v)];
            double max = z.Max();
            loss += max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[labels[n]];
        }
        return loss;
    }

    // Where the loss's kinks lie: each pooling window's winner and, for ReLU-like activations, which units are
    // positive. A finite difference whose two passes agree with the unperturbed one on all of it is smooth.
    private static string[] Kinks(Network network, NetworkWorkspace workspace, bool signs)
    {
        var kinks = new List<string>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            if (layer is MaxPoolLayer pool)
            {
                float[] input = workspace.Values[i];
                float[] output = workspace.Values[i + 1];
                kinks.Add(string.Join(",", Enumerable.Range(0, Batch).SelectMany(image => Enumerable.Range(0, pool.Output.Size).Select(o =>
                    pool.Winner(input.AsSpan(image * pool.Input.Size, pool.Input.Size), output.AsSpan(image * pool.Output.Size, pool.Output.Size), o)))));
            }
            else if (layer is ActivationLayer && signs)
            {
                kinks.Add(new string([.. workspace.Output(i)[..(Batch * layer.Output.Size)].ToArray().Select(v => v > 0 ? '+' : '-')]));
            }
        }
        return [.. kinks];
    }
}
