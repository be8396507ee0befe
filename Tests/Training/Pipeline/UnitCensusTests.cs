using Contracts;
using Engine.Activations;
using Engine.Networks;
using Tests.Training.Data;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

public class UnitCensusTests
{
    private static readonly Lazy<PreparedDigits> Digits = new(() => MnistSubsets.Spread(TestMnist.Load().Test, 200));

    [Fact]
    public void AFilterThatIsNeverPositive_IsDead_Collapsed_AndDormant_WhereAHealthyNetworkHasNone()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1);

        (_, UnitSnapshot healthy) = UnitCensus.Take(network, Digits.Value, epoch: 0);
        ParameterTensor bias = network.Tensors.Single(t => t.Name == "conv1.bias");
        network.Parameters[bias.Offset] = -1000f;
        (_, UnitSnapshot broken) = UnitCensus.Take(network, Digits.Value, epoch: 4);

        // Units are channels (20 feature maps), not the 24 × 24 × 20 values of the layer.
        LayerUnits before = Assert.Single(healthy.Layers);
        Assert.Equal(("conv1", 20, 0, 0), (before.Layer, before.Units, before.Dead, before.Collapsed));
        LayerUnits after = Assert.Single(broken.Layers);
        Assert.Equal(("conv1", 20, 1, 1), (after.Layer, after.Units, after.Dead, after.Collapsed));
        Assert.InRange(after.Dormant, 1, 20);
        Assert.Equal(0.05, after.DeadFraction, 12);
        Assert.Equal(0.05, after.CollapsedFraction!.Value, 12);
        Assert.Equal((0, 4), (healthy.Epoch, broken.Epoch));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("elu")]
    [InlineData("softsign")]
    [InlineData("gelu_tanh")]
    [InlineData("prelu")]
    [InlineData("selu")]
    public void Counts_MatchADirectCountOverEveryUnit_OfEveryActivationLayer(string id)
    {
        // Enhanced, with units driven far into the negative region (a huge negative bias; for PReLU also a zero
        // slope), made dormant (weights scaled down) or constant (no weights, a positive bias) in each layer.
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Get(id), seed: 2);
        Kill(network, "conv1", 16, [3]);
        Kill(network, "conv2", 32, [5, 6]);
        Kill(network, "dense1", 128, [0, 1, 2, 70]);
        Weaken(network, "conv2", 32, 9, 0.01f);
        Weaken(network, "dense1", 128, 100, 0.01f);
        Weaken(network, "dense1", 128, 101, 0f);
        network.Parameters[network.Tensors.Single(t => t.Name == "dense1.bias").Offset + 101] = 0.5f;
        PreparedDigits digits = Digits.Value;

        (Evaluation evaluation, UnitSnapshot snapshot) = UnitCensus.Take(network, digits, epoch: 3);

        Assert.Equal(NetworkTrainer.Evaluate(network, digits).Predictions, evaluation.Predictions);
        Assert.Equal(digits.Labels, evaluation.Labels);
        Assert.Equal(["conv1", "conv2", "dense1"], snapshot.Layers.Select(l => l.Layer));
        Assert.Equal([16, 32, 128], snapshot.Layers.Select(l => l.Units));
        Assert.Equal(DirectCount(network, digits), snapshot.Layers);
        // The units driven far negative have a vanishing derivative; the constant one has no variance.
        Assert.True(snapshot.Layers[0].Dead >= 1 && snapshot.Layers[1].Dead >= 2 && snapshot.Layers[2].Dead >= 4);
        Assert.True(snapshot.Layers[2].Collapsed >= 1);
    }

    [Fact]
    public void ALeakyReluUnitFarBelowZero_StillPassesGradient_AndVaries()
    {
        // The old count called such a unit dead because it is never positive; its derivative is 0.1 everywhere.
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.LeakyRelu, seed: 2);
        Kill(network, "dense1", 128, [0, 1, 2]);

        (_, UnitSnapshot snapshot) = UnitCensus.Take(network, Digits.Value, epoch: 0);

        Assert.Equal(0, snapshot.Layers[2].Dead);
        Assert.Equal(0, snapshot.Layers[2].Collapsed);
    }

    [Fact]
    public void ASoftsignUnitSaturatedAtPlusOne_IsDeadAndCollapsed_ButNotDormant()
    {
        // Never negative, so the old count missed it; f' = (1 − |y|)² ≈ 1e−10 on every value.
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Softsign, seed: 2);
        (_, UnitSnapshot healthy) = UnitCensus.Take(network, Digits.Value, epoch: 0);
        ParameterTensor bias = network.Tensors.Single(t => t.Name == "dense1.bias");
        network.Parameters[bias.Offset + 7] = 1e5f;

        (_, UnitSnapshot saturated) = UnitCensus.Take(network, Digits.Value, epoch: 0);

        Assert.Equal(healthy.Layers[2].Dead + 1, saturated.Layers[2].Dead);
        Assert.Equal(healthy.Layers[2].Collapsed + 1, saturated.Layers[2].Collapsed);
        Assert.Equal(healthy.Layers[2].Dormant, saturated.Layers[2].Dormant);
    }

    [Fact]
    public void APReluUnitBelowZero_IsDeadOnlyOnceItsSlopeVanishes()
    {
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.PRelu, seed: 2);
        network.Parameters[network.Tensors.Single(t => t.Name == "dense1.bias").Offset + 4] = -1e5f;
        (_, UnitSnapshot sloped) = UnitCensus.Take(network, Digits.Value, epoch: 0);
        network.Parameters[network.Tensors.Single(t => t.Name == "dense1.activation.slope").Offset + 4] = 0f;

        (_, UnitSnapshot flat) = UnitCensus.Take(network, Digits.Value, epoch: 0);

        Assert.Equal(sloped.Layers[2].Dead + 1, flat.Layers[2].Dead);
    }

    /// <summary>
    /// Every unit's derivative, mean |output| and variance over all images and positions, image by image in double,
    /// from a training workspace's pass (which keeps each activation's input) and the public scalar derivative.
    /// </summary>
    private static List<LayerUnits> DirectCount(Network network, PreparedDigits digits)
    {
        NetworkWorkspace workspace = network.CreateWorkspace(1);
        var layers = network.Layers.Select((layer, index) => (layer: (ActivationLayer?)(layer as ActivationLayer), index)).Where(x => x.layer is not null).ToArray();
        bool[][] alive = [.. layers.Select(x => new bool[x.layer!.Output.Channels])];
        double[][] magnitude = [.. layers.Select(x => new double[x.layer!.Output.Channels])];
        List<float>[][] values = [.. layers.Select(x => Enumerable.Range(0, x.layer!.Output.Channels).Select(_ => new List<float>()).ToArray())];
        for (int n = 0; n < digits.Count; n++)
        {
            network.Forward(digits.Image(n), 1, workspace);
            for (int a = 0; a < layers.Length; a++)
            {
                ActivationLayer layer = layers[a].layer!;
                ReadOnlySpan<float> x = workspace.Values[layers[a].index].AsSpan(0, layer.Input.Size);
                ReadOnlySpan<float> y = workspace.Output(layers[a].index)[..layer.Output.Size];
                ReadOnlySpan<float> slopes = network.Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount);
                int channels = layer.Output.Channels;
                for (int i = 0; i < y.Length; i++)
                {
                    int unit = i % channels;
                    float derivative = layer.Function.HasLearnedSlope ? (x[i] > 0 ? 1f : slopes[unit]) : layer.Function.Derivative(x[i]);
                    alive[a][unit] |= Math.Abs(derivative) >= UnitCensus.DeadDerivativeThreshold;
                    magnitude[a][unit] += Math.Abs(y[i]);
                    values[a][unit].Add(y[i]);
                }
            }
        }
        return [.. layers.Select((x, a) =>
        {
            double[] variance = [.. values[a].Select(unit => unit.Select(v => (double)v).Average() is double mean ? unit.Sum(v => (v - mean) * (v - mean)) / unit.Count : 0)];
            return new LayerUnits(
                x.layer!.Units,
                x.layer.Output.Channels,
                alive[a].Count(v => !v),
                magnitude[a].Count(m => m <= UnitCensus.DormantThreshold * magnitude[a].Average()),
                variance.Count(v => v <= UnitCensus.CollapsedThreshold * variance.Average()));
        })];
    }

    private static void Kill(Network network, string layer, int units, int[] which)
    {
        ParameterTensor bias = network.Tensors.Single(t => t.Name == $"{layer}.bias");
        Assert.Equal(units, bias.Length);
        ParameterTensor? slope = network.Tensors.SingleOrDefault(t => t.Name == $"{layer}.activation.slope");
        foreach (int unit in which)
        {
            // Far enough below zero that even Softsign's and ReLU–Softsign's f′ = 1 / (1 + |x|)² falls below 1e−6.
            network.Parameters[bias.Offset + unit] = -1e5f;
            if (slope is not null)
            {
                network.Parameters[slope.Offset + unit] = 0f;
            }
        }
    }

    // Scales one unit's incoming weights (a column of the [inputs, units] matrix) by the factor.
    private static void Weaken(Network network, string layer, int units, int unit, float factor)
    {
        ParameterTensor weight = network.Tensors.Single(t => t.Name == $"{layer}.weight");
        for (int i = unit; i < weight.Length; i += units)
        {
            network.Parameters[weight.Offset + i] *= factor;
        }
    }
}
