using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Activations;
using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>
/// Inference with an inference workspace applies each layer's bias and activation in its matrix product's
/// epilogue; a training workspace's forward pass runs the bias, product and activation passes separately.
/// The two must give the same logits and probabilities.
/// </summary>
public class FusedInferenceTests
{
    /// <summary>
    /// With AVX-512 both paths use the same 512-bit kernels for every element, so they agree bit for bit;
    /// elsewhere a product's last columns are finished in scalar code, which for the activations built on eˣ
    /// may differ from the vector pass in the last bit.
    /// </summary>
    private static readonly bool BitIdentical = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static TheoryData<string, string> ArchitecturesAndActivations()
    {
        var data = new TheoryData<string, string>();
        foreach (NetworkArchitecture architecture in NetworkArchitecture.Known)
        {
            foreach (ActivationFunction activation in ActivationFunctions.All)
            {
                data.Add(architecture.Name, activation.Id);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ArchitecturesAndActivations))]
    public void FusedInference_GivesTheUnfusedLogitsAndProbabilities(string architecture, string activationId)
    {
        Network network = CreateNetwork(architecture, activationId);
        const int count = 2 * Network.InferenceBlock + 5;
        float[] images = LayerHarness.Uniform(count * network.InputSize, seed: 11, 0f, 1f);

        // The separate passes: a training workspace without a Random runs every layer on its own.
        NetworkWorkspace separate = network.CreateWorkspace(count);
        network.Forward(images, count, separate);
        float[] expectedLogits = separate.Logits.ToArray();
        var expected = new float[count * network.Classes];
        for (int n = 0; n < count; n++)
        {
            Network.Softmax(expectedLogits.AsSpan(n * network.Classes, network.Classes), expected.AsSpan(n * network.Classes, network.Classes));
        }
        // Both signs must reach the activations, or a wrong negative branch would go unnoticed.
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is ActivationLayer)
            {
                float[] preActivation = separate.Output(i - 1)[..(count * network.Layers[i].Input.Size)].ToArray();
                Assert.InRange(preActivation.Count(v => v < 0) / (double)preActivation.Length, 0.02, 0.98);
            }
        }

        NetworkWorkspace fused = network.CreateInferenceWorkspace(count);
        network.Forward(images, count, fused);
        AssertSame(expectedLogits, fused.Logits[..(count * network.Classes)].ToArray(), "logits");

        foreach (int threads in (int[])[-1, 1, 2])
        {
            var probabilities = new float[count * network.Classes];
            network.Classify(images, probabilities, threads);
            AssertSame(expected, probabilities, $"probabilities, {threads} threads");
        }
        var single = new float[network.Classes];
        network.Classify(images.AsSpan(0, network.InputSize), single);
        AssertSame(expected[..network.Classes], single, "probabilities of one image");
    }

    [Theory]
    [InlineData("enhanced", "elu")]
    [InlineData("baseline", "relu_softsign")]
    public void InferenceWorkspace_ActivationSharesTheLinearLayersBuffer_WithTheActivatedValues(string architecture, string activationId)
    {
        Network network = CreateNetwork(architecture, activationId);
        const int count = 3;
        float[] images = LayerHarness.Uniform(count * network.InputSize, seed: 12, 0f, 1f);
        NetworkWorkspace separate = network.CreateWorkspace(count);
        NetworkWorkspace fused = network.CreateInferenceWorkspace(count);
        network.Forward(images, count, separate);
        network.Forward(images, count, fused);

        int activations = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is not ActivationLayer)
            {
                continue;
            }
            activations++;
            int length = count * network.Layers[i].Output.Size;
            float[] activated = separate.Output(i)[..length].ToArray();
            AssertSame(activated, fused.Output(i)[..length].ToArray(), $"{network.Layers[i].Name} output");
            AssertSame(activated, fused.Output(i - 1)[..length].ToArray(), $"{network.Layers[i - 1].Name} output");
            Assert.NotEqual(separate.Output(i - 1)[..length].ToArray(), activated);
        }
        Assert.Equal(architecture == "enhanced" ? 3 : 1, activations);
    }

    [Fact]
    public void NoisyRelu_AtInference_IsRelu()
    {
        Network noisy = CreateNetwork("enhanced", "noisy_relu");
        Network relu = Network.FromParameters(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, noisy.Parameters);
        float[] images = LayerHarness.Uniform(5 * noisy.InputSize, seed: 13, 0f, 1f);
        var fromNoisy = new float[5 * noisy.Classes];
        var fromRelu = new float[5 * noisy.Classes];
        noisy.Classify(images, fromNoisy);
        relu.Classify(images, fromRelu);
        Assert.Equal(fromRelu, fromNoisy);
    }

    [Theory]
    [InlineData("enhanced")]
    [InlineData("baseline")]
    public void Classify_AllocatesNothing_UpToOneBlock_OrOnOneThread(string architecture)
    {
        Network network = CreateNetwork(architecture, "relu");
        float[] images = LayerHarness.Uniform(32 * network.InputSize, seed: 14, 0f, 1f);
        var probabilities = new float[32 * network.Classes];
        // The first calls create the pooled workspace and compile the code.
        network.Classify(images.AsSpan(0, network.InputSize), probabilities);
        network.Classify(images, probabilities, maxDegreeOfParallelism: 1);

        foreach ((int count, int threads) in (ReadOnlySpan<(int, int)>)[(1, -1), (7, -1), (Network.InferenceBlock, -1), (32, 1), (17, 1)])
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            network.Classify(images.AsSpan(0, count * network.InputSize), probabilities, threads);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{architecture}, {count} images on {threads} thread(s): {allocated} bytes allocated");
        }
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Classify_RejectsADegreeOfParallelismOfZeroOrBelowMinusOne()
    {
        Network network = CreateNetwork("baseline", "relu");
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => network.Classify(new float[784], new float[10], 0));
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => network.Classify(new float[784], new float[10], -2));
    }

    [Fact]
    public void Forward_WithAnInferenceWorkspace_RejectsTraining()
    {
        Network network = CreateNetwork("enhanced", "noisy_relu");
        NetworkWorkspace workspace = network.CreateInferenceWorkspace(1);
        Assert.Throws<InvalidOperationException>(() => network.Forward(new float[784], 1, workspace, new Random(1)));
    }

    /// <summary>He-initialised weights and biases that are not zero, so that the epilogue's bias is exercised.</summary>
    private static Network CreateNetwork(string architecture, string activationId)
    {
        Network network = Network.Create(NetworkArchitecture.Get(architecture), ActivationFunctions.All.Single(a => a.Id == activationId), seed: 21);
        var random = new Random(22);
        foreach (ParameterTensor bias in network.Tensors.Where(t => !t.IsWeight))
        {
            foreach (ref float value in network.Parameters.AsSpan(bias.Offset, bias.Length))
            {
                value = 0.4f * random.NextSingle() - 0.2f;
            }
        }
        return network;
    }

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitIdentical)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{what}[{i}]: {actual[i]:R} is not bit for bit {expected[i]:R}");
            }
            else
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"{what}[{i}]: {actual[i]:R} differs from {expected[i]:R} by more than 1e-6");
            }
        }
    }
}
