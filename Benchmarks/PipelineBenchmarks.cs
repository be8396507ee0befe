using BenchmarkDotNet.Attributes;
using Engine.Imaging;
using Engine.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace Benchmarks;

/// <summary>
/// What one classification costs inside the process, without HTTP: decoding and preprocessing the repository's
/// scripts/digit-7.png as the service does, one forward pass of a committed model on the backend the service picks
/// (managed where it imports), and both.
/// </summary>
public class PipelineBenchmarks
{
    private DigitImagePreprocessor _preprocessor = null!;
    private IInferenceBackend _backend = null!;
    private byte[] _png = null!;
    private readonly float[] _image = new float[DigitModel.ImageSize];
    private readonly float[] _probabilities = new float[DigitModel.Classes];

    /// <summary>The committed model, by name: the default model (enhanced-elu), and the two the HTTP benchmarks also serve.</summary>
    [Params("enhanced-elu", "enhanced-relu", "baseline-relu")]
    public string Model { get; set; } = "enhanced-relu";

    [GlobalSetup]
    public void Setup()
    {
        _preprocessor = new DigitImagePreprocessor(new ImageLimits());
        _png = File.ReadAllBytes(Path.Combine(Repository.Root, "scripts", "digit-7.png"));
        var options = new InferenceOptions();
        using var factory = new InferenceBackendFactory(options, NullLogger.Instance);
        string cardPath = Path.Combine(Repository.Root, "models", Model + ".json");
        _backend = factory.Create(ModelCardFile.Read(cardPath), File.ReadAllBytes(Path.ChangeExtension(cardPath, ".onnx")));
        Pipeline();
        if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(_probabilities) != 7)
        {
            throw new InvalidOperationException($"{Model} does not read scripts/digit-7.png as a 7.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _backend.Dispose();

    /// <summary>Decode the PNG, find, centre and scale the digit to 28×28.</summary>
    [Benchmark]
    public void Preprocess() => _preprocessor.Preprocess(_png, _image, CancellationToken.None);

    /// <summary>One forward pass of one image.</summary>
    [Benchmark]
    public void Infer() => _backend.Classify(_image, _probabilities);

    /// <summary>Both, as a request does them.</summary>
    [Benchmark]
    public void Pipeline()
    {
        _preprocessor.Preprocess(_png, _image, CancellationToken.None);
        _backend.Classify(_image, _probabilities);
    }

    /// <summary>The images one <see cref="PipelineAllCores"/> call classifies: <see cref="ImagesPerThread"/> on each core.</summary>
    public static int ImagesPerAllCoresCall => ImagesPerThread * Environment.ProcessorCount;

    private const int ImagesPerThread = 64;

    /// <summary>
    /// The whole pipeline on every core at once, one thread per core each classifying <see cref="ImagesPerThread"/>
    /// images one at a time: what the cores really deliver together (shared caches, memory and clock included),
    /// where the cores times one core's rate is only an upper bound.
    /// </summary>
    [Benchmark]
    public void PipelineAllCores() =>
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ =>
        {
            Span<float> image = stackalloc float[DigitModel.ImageSize];
            Span<float> probabilities = stackalloc float[DigitModel.Classes];
            for (int i = 0; i < ImagesPerThread; i++)
            {
                _preprocessor.Preprocess(_png, image, CancellationToken.None);
                _backend.Classify(image, probabilities);
            }
        });
}
