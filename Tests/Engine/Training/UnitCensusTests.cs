using Contracts;
using Engine.Activations;
using Engine.Networks;
using Engine.Training;
using Tests.Engine.Data;

namespace Tests.Engine.Training;

public class UnitCensusTests
{
    private static readonly Lazy<PreparedDigits> Digits = new(() => MnistSubsets.Spread(TestMnist.Load().Test, 200));

    [Fact]
    public void AFilterThatIsNeverPositive_IsDead_AndDormant_WhereAHealthyNetworkHasNoDeadFilter()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1);

        (_, UnitSnapshot healthy) = UnitCensus.Take(network, Digits.Value, epoch: 0);
        ParameterTensor bias = network.Tensors.Single(t => t.Name == "conv1.bias");
        network.Parameters[bias.Offset] = -1000f;
        (_, UnitSnapshot broken) = UnitCensus.Take(network, Digits.Value, epoch: 4);

        // Units are channels (20 feature maps), not the 24 × 24 × 20 values of the layer.
        LayerUnits before = Assert.Single(healthy.Layers);
        Assert.Equal(("conv1", 20, 0), (before.Layer, before.Units, before.Dead));
        LayerUnits after = Assert.Single(broken.Layers);
        Assert.Equal(("conv1", 20, 1), (after.Layer, after.Units, after.Dead));
        Assert.InRange(after.Dormant, 1, 20);
        Assert.Equal(0.05, after.DeadFraction, 12);
        Assert.Equal((0, 4), (healthy.Epoch, broken.Epoch));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("elu")]
    public void Counts_MatchADirectCountOverEveryUnit_OfEveryActivationLayer(string id)
    {
        // Enhanced, with units made dead (a huge negative bias) or dormant (weights scaled down) in each layer.
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Get(id), seed: 2);
        Kill(network, "conv1", 16, [3]);
        Kill(network, "conv2", 32, [5, 6]);
        Kill(network, "dense1", 128, [0, 1, 2, 70]);
        Weaken(network, "conv2", 32, 9);
        Weaken(network, "dense1", 128, 100);
        PreparedDigits digits = Digits.Value;

        (Evaluation evaluation, UnitSnapshot snapshot) = UnitCensus.Take(network, digits, epoch: 3);

        Assert.Equal(NetworkTrainer.Evaluate(network, digits).Predictions, evaluation.Predictions);
        Assert.Equal(digits.Labels, evaluation.Labels);
        Assert.Equal(["conv1", "conv2", "dense1"], snapshot.Layers.Select(l => l.Layer));
        Assert.Equal([16, 32, 128], snapshot.Layers.Select(l => l.Units));
        Assert.Equal(DirectCount(network, digits), snapshot.Layers);
        if (id == "relu")
        {
            // The units made dead are; other dead units may exist at random, but not fewer.
            Assert.True(snapshot.Layers[0].Dead >= 1 && snapshot.Layers[1].Dead >= 2 && snapshot.Layers[2].Dead >= 4);
            Assert.True(snapshot.Layers[1].Dormant >= 3 && snapshot.Layers[2].Dormant >= 5);
        }
    }

    // Every unit's largest output and mean |output| over all images and positions, image by image in double.
    private static List<LayerUnits> DirectCount(Network network, PreparedDigits digits)
    {
        NetworkWorkspace workspace = network.CreateWorkspace(1);
        var layers = network.Layers.Select((layer, index) => (layer, index)).Where(x => x.layer is ActivationLayer).ToArray();
        double[][] largest = [.. layers.Select(x => Enumerable.Repeat(double.NegativeInfinity, x.layer.Output.Channels).ToArray())];
        double[][] magnitude = [.. layers.Select(x => new double[x.layer.Output.Channels])];
        for (int n = 0; n < digits.Count; n++)
        {
            network.Forward(digits.Image(n), 1, workspace);
            for (int a = 0; a < layers.Length; a++)
            {
                ReadOnlySpan<float> values = workspace.Output(layers[a].index)[..layers[a].layer.Output.Size];
                int channels = layers[a].layer.Output.Channels;
                for (int i = 0; i < values.Length; i++)
                {
                    largest[a][i % channels] = Math.Max(largest[a][i % channels], values[i]);
                    magnitude[a][i % channels] += Math.Abs(values[i]);
                }
            }
        }
        return [.. layers.Select((x, a) => new LayerUnits(
            ((ActivationLayer)x.layer).Units,
            x.layer.Output.Channels,
            largest[a].Count(v => v <= 0),
            magnitude[a].Count(m => m <= UnitCensus.DormantThreshold * magnitude[a].Average())))];
    }

    private static void Kill(Network network, string layer, int units, int[] which)
    {
        ParameterTensor bias = network.Tensors.Single(t => t.Name == $"{layer}.bias");
        Assert.Equal(units, bias.Length);
        foreach (int unit in which)
        {
            network.Parameters[bias.Offset + unit] = -1000f;
        }
    }

    // Scales one unit's incoming weights (a column of the [inputs, units] matrix) down to a hundredth.
    private static void Weaken(Network network, string layer, int units, int unit)
    {
        ParameterTensor weight = network.Tensors.Single(t => t.Name == $"{layer}.weight");
        for (int i = unit; i < weight.Length; i += units)
        {
            network.Parameters[weight.Offset + i] *= 0.01f;
        }
    }
}
