using System.Text;
using Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Tests.Engine.Onnx;

public class ConvNetOnnxExporterTests
{
    private const double Tolerance = 1e-4;
    private static readonly Dictionary<string, string> NoMetadata = [];

    public static TheoryData<string> ActivationIds => new(ConvNetOnnxExporter.ActivationIds);

    [Theory]
    [MemberData(nameof(ActivationIds))]
    public void ExportedModel_MatchesNaiveReferenceForwardPass(string activationId)
    {
        const int batch = 3;
        ConvNetWeights weights = ConvNetReference.RandomWeights(seed: 17);
        float[] images = ConvNetReference.RandomImages(seed: 29, batch);
        var (expectedLogits, expectedProbabilities, negativeShare) =
            ConvNetReference.Forward(weights, activationId, images, batch);
        // Both signs must reach the activation, or a wrong negative branch would go unnoticed.
        Assert.InRange(negativeShare, 0.1, 0.9);

        using var session = new InferenceSession(ConvNetOnnxExporter.Export(weights, activationId, NoMetadata));
        var (logits, probabilities) = Run(session, images, batch);

        AssertClose(expectedLogits, logits);
        AssertClose(expectedProbabilities, probabilities);
    }

    [Fact]
    public void BatchDimension_IsSymbolic()
    {
        ConvNetWeights weights = ConvNetReference.RandomWeights(seed: 3);
        using var session = new InferenceSession(ConvNetOnnxExporter.Export(weights, "relu", NoMetadata));

        NodeMetadata input = session.InputMetadata[ConvNetOnnxExporter.InputName];
        Assert.Equal(new[] { -1, 1, 28, 28 }, input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal(new[] { -1, 10 }, session.OutputMetadata[ConvNetOnnxExporter.LogitsOutputName].Dimensions);
        Assert.Equal(new[] { -1, 10 }, session.OutputMetadata[ConvNetOnnxExporter.ProbabilitiesOutputName].Dimensions);

        float[] fiveImages = ConvNetReference.RandomImages(seed: 5, batch: 5);
        var (single, _) = Run(session, fiveImages[..(28 * 28)], batch: 1);
        var (five, fiveProbabilities) = Run(session, fiveImages, batch: 5);

        Assert.Equal(10, single.Length);
        Assert.Equal(50, five.Length);
        // The first image must score the same alone as in a batch.
        AssertClose(single.Select(v => (double)v).ToArray(), five[..10]);
        for (int n = 0; n < 5; n++)
        {
            Assert.Equal(1.0, fiveProbabilities[(n * 10)..((n + 1) * 10)].Sum(), 1e-5);
        }
    }

    [Fact]
    public void Metadata_RoundTripsThroughOnnxRuntime()
    {
        var metadata = new Dictionary<string, string>
        {
            ["activation"] = "elu",
            ["trained_at"] = "2025-01-02T03:04:05Z",
            ["accuracy"] = "0.9912",
            ["note"] = "ünïcødé ✓",
        };
        byte[] model = ConvNetOnnxExporter.Export(ConvNetReference.RandomWeights(seed: 1), "elu", metadata);

        using var session = new InferenceSession(model);
        ModelMetadata read = session.ModelMetadata;
        Assert.Equal(metadata.OrderBy(p => p.Key), read.CustomMetadataMap.OrderBy(p => p.Key));
        Assert.Equal(OnnxGraphBuilder.ProducerName, read.ProducerName);
        Assert.Equal("digits_convnet", read.GraphName);
    }

    [Fact]
    public void Model_DeclaresIrVersionAndOpset17InItsBytes()
    {
        byte[] model = ConvNetOnnxExporter.Export(ConvNetReference.RandomWeights(seed: 1), "relu", NoMetadata);
        List<ProtoTestReader.Field> fields = ProtoTestReader.ReadFields(model);

        // ModelProto.ir_version = 1, producer_name = 2, opset_import = 8.
        Assert.Equal(8UL, Assert.Single(fields, f => f.Number == 1).Varint);
        Assert.Equal("digits-engine", Encoding.UTF8.GetString(Assert.Single(fields, f => f.Number == 2).Bytes));
        List<ProtoTestReader.Field> opset = ProtoTestReader.ReadFields(Assert.Single(fields, f => f.Number == 8).Bytes);
        // OperatorSetIdProto.domain = 1 (empty: the default ai.onnx domain), version = 2.
        Assert.Empty(Assert.Single(opset, f => f.Number == 1).Bytes);
        Assert.Equal(17UL, Assert.Single(opset, f => f.Number == 2).Varint);
    }

    [Fact]
    public void ReluSoftsign_IsExactlyIdentityAboveZeroAndSoftsignBelow()
    {
        // Zero kernels and a zero image make each conv channel a constant map equal to its bias,
        // and dense row k reads one cell of channel k, so logit k is exactly activation(probe k).
        float[] probes = [-20f, -3f, -1f, -0.25f, -1e-6f, 0f, 1e-6f, 0.25f, 3f, 1234.5f];
        var convBias = new float[20];
        probes.CopyTo(convBias, 0);
        var denseWeight = new float[28800];
        for (int k = 0; k < probes.Length; k++)
        {
            denseWeight[k * 2880 + k * 144] = 1f;
        }

        var weights = new ConvNetWeights(new float[500], convBias, denseWeight, new float[10]);
        float[] blank = new float[28 * 28];
        float[] reluSoftsign = RunOnce(weights, "relu_softsign", blank);
        float[] softsign = RunOnce(weights, "softsign", blank);

        for (int k = 0; k < probes.Length; k++)
        {
            // Bitwise: the composite must add exact zeros, not approximate the piecewise function.
            float expected = probes[k] >= 0 ? probes[k] : softsign[k];
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(reluSoftsign[k]));
        }

        Assert.Equal(-20f / 21f, reluSoftsign[0], 1e-6f);
    }

    [Fact]
    public void UnknownActivation_ThrowsListingValidIds()
    {
        ConvNetWeights weights = ConvNetReference.RandomWeights(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => ConvNetOnnxExporter.Export(weights, "swish", NoMetadata));
        Assert.Equal("activationId", error.ParamName);
        foreach (string id in ConvNetOnnxExporter.ActivationIds)
        {
            Assert.Contains(id, error.Message);
        }
    }

    [Fact]
    public void Export_IsDeterministicAndFileHelperWritesTheSameBytes()
    {
        ConvNetWeights weights = ConvNetReference.RandomWeights(seed: 9);
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        byte[] first = ConvNetOnnxExporter.Export(weights, "leaky_relu", metadata);
        byte[] second = ConvNetOnnxExporter.Export(weights, "leaky_relu", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Assert.Equal(first, second);

        string path = Path.Combine(Path.GetTempPath(), $"convnet-{Guid.NewGuid():N}.onnx");
        try
        {
            ConvNetOnnxExporter.ExportToFile(weights, "leaky_relu", metadata, path);
            Assert.Equal(first, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] RunOnce(ConvNetWeights weights, string activationId, float[] image)
    {
        using var session = new InferenceSession(ConvNetOnnxExporter.Export(weights, activationId, NoMetadata));
        return Run(session, image, batch: 1).Logits;
    }

    private static (float[] Logits, float[] Probabilities) Run(InferenceSession session, float[] images, int batch)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, 1, 28, 28]);
        using var runOptions = new RunOptions();
        using var results = session.Run(
            runOptions,
            [ConvNetOnnxExporter.InputName],
            [input],
            [ConvNetOnnxExporter.LogitsOutputName, ConvNetOnnxExporter.ProbabilitiesOutputName]);
        Assert.Equal(new long[] { batch, 10 }, results[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(new long[] { batch, 10 }, results[1].GetTensorTypeAndShape().Shape);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(
                error <= Tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"Element {i}: expected {expected[i]}, got {actual[i]} (error {error}).");
        }
    }
}
