using BenchmarkDotNet.Attributes;
using Contracts;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Training.Onnx;

namespace Benchmarks;

/// <summary>
/// Class probabilities of a batch of digits from the managed network (<see cref="Network.Classify"/>, which
/// splits batches of more than <see cref="Network.InferenceBlock"/> images across cores) against the same
/// weights exported to ONNX and run by ONNX Runtime exactly as the service runs it: one
/// <see cref="OnnxRuntimeBackend"/> on the CPU with the service's default session options. Both get the same images
/// and write the same number of probabilities.
/// </summary>
/// <remarks>
/// One activation is enough: an activation is a few percent of a pass's arithmetic at most (the report
/// counts it per architecture), so the comparison is one of convolutions and matrix products.
/// </remarks>
public class NetworkInferenceBenchmarks
{
    /// <summary>The activation of every hidden layer.</summary>
    public const string ActivationId = "relu_softsign";

    /// <summary>The largest difference between the two paths' probabilities that setup accepts.</summary>
    public const float Tolerance = 1e-4f;

    private Network _network = null!;
    private OnnxRuntimeBackend _model = null!;
    private OnnxRuntimeBackend _modelAllCores = null!;
    private string _modelPath = null!;
    private float[] _images = null!;
    private float[] _probabilities = null!;

    [ParamsSource(nameof(Architectures))]
    public string Architecture { get; set; } = "baseline";

    [Params(1, 32, 256)]
    public int Batch { get; set; } = 1;

    public static IEnumerable<string> Architectures => NetworkArchitecture.All.Select(a => a.Name);

    [GlobalSetup]
    public void Setup()
    {
        _network = CreateNetwork(NetworkArchitecture.Get(Architecture));
        _modelPath = Path.Combine(Path.GetTempPath(), $"network-benchmark-{Environment.ProcessId}-{Architecture}-{Batch}.onnx");
        NetworkOnnxExporter.ExportToFile(_network, new Dictionary<string, string>(), _modelPath);
        _model = Load(_modelPath, _network, new InferenceOptions().IntraOpThreads);
        _modelAllCores = Load(_modelPath, _network, Environment.ProcessorCount);
        _images = BenchmarkDigits.Test(Batch).Images;
        _probabilities = new float[Batch * _network.Classes];

        var expected = new float[_probabilities.Length];
        _network.Classify(_images, expected);
        _model.Classify(_images, _probabilities);
        float largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i] - _probabilities[i]));
        }
        if (!(largest <= Tolerance))
        {
            throw new InvalidOperationException(
                $"{Architecture}, batch {Batch}: the managed network and ONNX Runtime differ by up to {largest:G3} in a probability, more than {Tolerance:G1}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _modelAllCores.Dispose();
        File.Delete(_modelPath);
    }

    [Benchmark]
    public void Managed() => _network.Classify(_images, _probabilities);

    [Benchmark]
    public void OnnxRuntime() => _model.Classify(_images, _probabilities);

    /// <summary>ONNX Runtime with one intra-op thread per core, as the managed path uses every core for a large batch.</summary>
    [Benchmark]
    public void OnnxRuntimeAllCores() => _modelAllCores.Classify(_images, _probabilities);

    /// <summary>He-initialised weights, and biases that are not zero, so that the export of the biases is exercised too.</summary>
    private static Network CreateNetwork(NetworkArchitecture architecture)
    {
        Network network = Network.Create(architecture, ActivationFunctions.Get(ActivationId), seed: 5);
        var random = new Random(6);
        foreach (ParameterTensor bias in network.Tensors.Where(t => !t.IsWeight))
        {
            foreach (ref float value in network.Parameters.AsSpan(bias.Offset, bias.Length))
            {
                value = 0.2f * random.NextSingle() - 0.1f;
            }
        }
        return network;
    }

    /// <summary>As the service loads a model: CPU options from InferenceDevice, with the given intra-op threads.</summary>
    private static OnnxRuntimeBackend Load(string path, Network network, int intraOpThreads)
    {
        using SessionOptions sessionOptions = InferenceDevice.CreateSessionOptions(InferenceDevice.Cpu, intraOpThreads, NullLogger.Instance, out string device);
        return OnnxRuntimeBackend.Load(path, sessionOptions, device);
    }
}
