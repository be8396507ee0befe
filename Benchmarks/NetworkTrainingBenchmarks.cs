using BenchmarkDotNet.Attributes;
using Engine.Activations;
using Engine.Networks;
using Training.Pipeline;

namespace Benchmarks;

/// <summary>
/// Training throughput: one call is <see cref="NetworkTrainer.Train"/> for one epoch over
/// <see cref="TrainingImages"/> images with each architecture's default options (batch size, learning rate,
/// augmentation), from a freshly initialised network, on every core as training runs. It includes what an
/// epoch includes: creating the network and its buffers, shuffling, augmenting, the optimiser's steps and the
/// validation pass over <see cref="ValidationImages"/> images.
/// </summary>
public class NetworkTrainingBenchmarks
{
    /// <summary>Training images per epoch.</summary>
    public const int TrainingImages = 2048;

    /// <summary>Validation images classified at the end of the epoch.</summary>
    public const int ValidationImages = 64;

    private NetworkArchitecture _architecture = null!;
    private ActivationFunction _activation = null!;
    private TrainingOptions _options = null!;
    private PreparedDigits _training = null!;
    private PreparedDigits _validation = null!;

    [ParamsSource(nameof(Architectures))]
    public string Architecture { get; set; } = "baseline";

    public static IEnumerable<string> Architectures => NetworkArchitecture.All.Select(a => a.Name);

    [GlobalSetup]
    public void Setup()
    {
        _architecture = NetworkArchitecture.Get(Architecture);
        _activation = ActivationFunctions.Get(NetworkInferenceBenchmarks.ActivationId);
        _options = TrainingOptions.For(_architecture) with { Epochs = 1, Patience = 0 };
        _training = BenchmarkDigits.Training(TrainingImages);
        _validation = BenchmarkDigits.Validation(ValidationImages);
    }

    [Benchmark]
    public void Epoch() => NetworkTrainer.Train(_architecture, _activation, _training, _validation, _options);
}
