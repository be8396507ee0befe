using Engine.Activations;
using Engine.Networks;

namespace Tests.Engine.Networks;

public class NetworkTests
{
    [Fact]
    public void Softmax_OfHugeLogits_IsFiniteAndExact()
    {
        var probabilities = new float[4];

        Network.Softmax([1e4f, 1e4f, -1e4f, 0f], probabilities);
        Assert.Equal([0.5f, 0.5f, 0f, 0f], probabilities);

        Network.Softmax([-1e4f, -1e4f, -1e4f, -1e4f], probabilities);
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], probabilities);

        Network.Softmax([3e38f, -3e38f, 2e38f, float.MaxValue], probabilities);
        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
        Assert.Equal([0f, 0f, 0f, 1f], probabilities);
    }

    [Fact]
    public void Softmax_OfOrdinaryLogits_MatchesTheFormula()
    {
        float[] logits = [1f, -2f, 0.5f, 3f, 0f];
        var probabilities = new float[logits.Length];

        Network.Softmax(logits, probabilities);

        double total = logits.Sum(z => Math.Exp(z));
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.Equal(Math.Exp(logits[i]) / total, probabilities[i], 1e-7);
        }
    }

    [Fact]
    public void Architectures_HaveTheArticlesLayersAndParameters()
    {
        Network baseline = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1);
        Assert.Equal(
            [("conv1.weight", 500, 25), ("conv1.bias", 20, 25), ("dense1.weight", 28_800, 2_880), ("dense1.bias", 10, 2_880)],
            baseline.Tensors.Select(t => (t.Name, t.Length, t.FanIn)));
        Assert.Equal(28_800 + 500 + 30, baseline.Parameters.Length);
        Assert.Equal(784, baseline.InputSize);
        Assert.Equal(10, baseline.Classes);

        Network enhanced = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, seed: 1);
        Assert.Equal(
            ["conv1", "conv1.activation", "lrn1", "pool1", "conv2", "conv2.activation", "lrn2", "pool2", "dense1", "dense1.activation", "dropout1", "dense2"],
            enhanced.Layers.Select(l => l.Name));
        Assert.Equal(new FeatureShape(7, 7, 32), enhanced.Layers[7].Output);
        Assert.Equal(
            [("conv1.weight", 400), ("conv1.bias", 16), ("conv2.weight", 12_800), ("conv2.bias", 32),
             ("dense1.weight", 1_568 * 128), ("dense1.bias", 128), ("dense2.weight", 1_280), ("dense2.bias", 10)],
            enhanced.Tensors.Select(t => (t.Name, t.Length)));
        // The tensors tile the flat array in order.
        Assert.Equal(enhanced.Tensors.Select(t => t.Offset), enhanced.Tensors.Select(t => t.Offset).Order());
        Assert.Equal(enhanced.Parameters.Length, enhanced.Tensors.Sum(t => t.Length));
        Assert.All(enhanced.Tensors.Zip(enhanced.Tensors.Skip(1)), pair => Assert.Equal(pair.First.Offset + pair.First.Length, pair.Second.Offset));
        Assert.Equal(["conv1", "conv2", "dense1"], enhanced.ActivationLayers.Select(a => a.Units));
        Assert.Same(NetworkArchitecture.Enhanced, NetworkArchitecture.Get("enhanced"));
        Assert.Throws<ArgumentException>(() => NetworkArchitecture.Get("resnet"));
    }

    [Fact]
    public void Narrow_IsTheBaselineWithSixteenHiddenUnitsBeforeTheOutput()
    {
        Network narrow = Network.Create(NetworkArchitecture.Narrow, ActivationFunctions.Relu, seed: 1);
        Network baseline = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1);

        Assert.Equal(["conv1", "conv1.activation", "pool1", "dense1", "dense1.activation", "dense2"], narrow.Layers.Select(l => l.Name));
        Assert.Equal(
            [("conv1.weight", 500, 25), ("conv1.bias", 20, 25), ("dense1.weight", 2_880 * 16, 2_880), ("dense1.bias", 16, 2_880),
             ("dense2.weight", 160, 16), ("dense2.bias", 10, 16)],
            narrow.Tensors.Select(t => (t.Name, t.Length, t.FanIn)));
        Assert.Equal(["conv1", "dense1"], narrow.ActivationLayers.Select(a => a.Units));
        // The same convolution as the baseline, drawn from the same seed.
        Assert.Equal(baseline.Parameters.AsSpan(0, 520).ToArray(), narrow.Parameters.AsSpan(0, 520).ToArray());
        Assert.Same(NetworkArchitecture.Narrow, NetworkArchitecture.Get("narrow"));
        // Known to the engine, exported and imported; not one of the architectures the service's models use.
        Assert.Contains(NetworkArchitecture.Narrow, NetworkArchitecture.Known);
        Assert.DoesNotContain(NetworkArchitecture.Narrow, NetworkArchitecture.All);
    }

    [Fact]
    public void Create_SameSeedSameWeights_HeScaled_ZeroBiases()
    {
        Network first = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, seed: 9);
        Network second = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Elu, seed: 9);
        Network other = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, seed: 10);

        Assert.Equal(first.Parameters, second.Parameters);
        Assert.NotEqual(first.Parameters, other.Parameters);
        foreach (ParameterTensor tensor in first.Tensors)
        {
            float[] values = first.Parameters.AsSpan(tensor.Offset, tensor.Length).ToArray();
            if (!tensor.IsWeight)
            {
                Assert.All(values, v => Assert.Equal(0f, v));
                continue;
            }
            // He initialisation: variance 2 / fan-in, within what the tensor's size lets a sample show.
            double mean = values.Average(v => (double)v);
            double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
            double expected = 2.0 / tensor.FanIn;
            double slack = 5 * expected * Math.Sqrt(2.0 / values.Length);
            Assert.InRange(variance, expected - slack, expected + slack);
        }
    }

    [Fact]
    public void FromParameters_CopiesThem_AndRejectsTheWrongCount()
    {
        float[] parameters = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 2).Parameters;

        Network copy = Network.FromParameters(NetworkArchitecture.Baseline, ActivationFunctions.Elu, parameters);
        Assert.Equal(parameters, copy.Parameters);
        Assert.NotSame(parameters, copy.Parameters);
        Assert.Same(ActivationFunctions.Elu, copy.Activation);

        var error = Assert.Throws<ArgumentException>(() => Network.FromParameters(NetworkArchitecture.Enhanced, ActivationFunctions.Elu, parameters));
        Assert.Equal("parameters", error.ParamName);
    }

    [Fact]
    public void Classify_IsTheSoftmaxOfTheLogits_ImageByImage_WhicheverBlockAnImageFallsIn()
    {
        Network network = Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.ReluSoftsign, seed: 3);
        const int count = 2 * Network.InferenceBlock + 5;
        float[] images = LayerHarness.Uniform(count * network.InputSize, seed: 4, 0f, 1f);

        var probabilities = new float[count * network.Classes];
        network.Classify(images, probabilities);

        NetworkWorkspace workspace = network.CreateWorkspace(1);
        var expected = new float[network.Classes];
        for (int n = 0; n < count; n++)
        {
            network.Forward(images.AsSpan(n * network.InputSize, network.InputSize), 1, workspace);
            Network.Softmax(workspace.Logits, expected);
            for (int k = 0; k < network.Classes; k++)
            {
                Assert.Equal(expected[k], probabilities[n * network.Classes + k], 1e-6f);
            }
            Assert.Equal(1.0, probabilities.AsSpan(n * network.Classes, network.Classes).ToArray().Sum(p => (double)p), 1e-5);
        }
    }

    [Fact]
    public void Classify_RejectsPartialImagesAndShortDestinations()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 5);
        Assert.Throws<ArgumentException>(() => network.Classify(new float[784 + 1], new float[20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Classify(new float[2 * 784], new float[19]));
    }

    [Fact]
    public void Backward_ReturnsTheLossAndHits_AndAddsToTheGradient()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Elu, seed: 6);
        const int count = 5;
        float[] images = LayerHarness.Uniform(count * network.InputSize, seed: 7, 0f, 1f);
        byte[] labels = [3, 1, 4, 1, 5];
        NetworkWorkspace workspace = network.CreateWorkspace(count);
        var once = new float[network.Parameters.Length];
        var twice = new float[network.Parameters.Length];

        network.Forward(images, count, workspace);
        float[] logits = workspace.Logits.ToArray();
        (double loss, int correct) = network.Backward(labels, count, workspace, once);
        network.Backward(labels, count, workspace, twice);
        network.Backward(labels, count, workspace, twice);

        double expectedLoss = 0;
        int expectedCorrect = 0;
        for (int n = 0; n < count; n++)
        {
            double[] z = [.. logits.AsSpan(n * 10, 10).ToArray().Select(v => (double)v)];
            expectedLoss += Math.Log(z.Sum(Math.Exp)) - z[labels[n]];
            expectedCorrect += Array.IndexOf(z, z.Max()) == labels[n] ? 1 : 0;
        }
        Assert.Equal(expectedLoss, loss, 1e-4);
        Assert.Equal(expectedCorrect, correct);
        Assert.Contains(once, g => g != 0);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(2.0 * once[i], twice[i], Math.Abs(once[i]) * 1e-5 + 1e-9);
        }
    }

    [Fact]
    public void Forward_RejectsMoreImagesThanTheWorkspaceHolds()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 8);
        NetworkWorkspace workspace = network.CreateWorkspace(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[3 * 784], 3, workspace));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.CreateWorkspace(0));
    }
}
