using BenchmarkDotNet.Attributes;
using Engine.Activations;
using Engine.Networks;

namespace Benchmarks;

/// <summary>
/// The managed forward pass with each layer's bias and activation applied in its matrix product's epilogue
/// (an inference workspace) against the separate bias, product and activation passes (a training workspace
/// without a Random, which is what inference ran before), on the same weights and images; and
/// <see cref="Network.Classify(ReadOnlySpan{float}, Span{float}, int)"/> on one thread against every core.
/// </summary>
public class FusedEpilogueBenchmarks
{
    private Network _network = null!;
    private NetworkWorkspace _separate = null!;
    private NetworkWorkspace _fused = null!;
    private float[] _images = null!;
    private float[] _probabilities = null!;

    [ParamsSource(nameof(Architectures))]
    public string Architecture { get; set; } = "enhanced";

    [Params(1, 8, 32)]
    public int Batch { get; set; } = 1;

    public static IEnumerable<string> Architectures => NetworkArchitecture.All.Select(a => a.Name);

    [GlobalSetup]
    public void Setup()
    {
        _network = CreateNetwork(NetworkArchitecture.Get(Architecture));
        _separate = _network.CreateWorkspace(Batch);
        _fused = _network.CreateInferenceWorkspace(Batch);
        _images = BenchmarkDigits.Test(Batch).Images;
        _probabilities = new float[Batch * _network.Classes];

        Unfused();
        Fused();
        if (!_separate.Logits.SequenceEqual(_fused.Logits) && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            throw new InvalidOperationException($"{Architecture}, batch {Batch}: the fused and separate passes give different logits.");
        }
    }

    /// <summary>Bias written into the output, product accumulated onto it, then the activation pass: three trips through memory.</summary>
    [Benchmark(Baseline = true)]
    public void Unfused() => _network.Forward(_images, Batch, _separate);

    /// <summary>Bias and activation in the product's epilogue; the activation layers do not run.</summary>
    [Benchmark]
    public void Fused() => _network.Forward(_images, Batch, _fused);

    /// <summary>Classify on the calling thread only, blocks of <see cref="Network.InferenceBlock"/> one after another.</summary>
    [Benchmark]
    public void ClassifyOneThread() => _network.Classify(_images, _probabilities, maxDegreeOfParallelism: 1);

    /// <summary>Classify with blocks of <see cref="Network.InferenceBlock"/> on every core (the default).</summary>
    [Benchmark]
    public void ClassifyAllCores() => _network.Classify(_images, _probabilities, maxDegreeOfParallelism: -1);

    /// <summary>He-initialised weights (seed 5) and biases in [−0.1, 0.1], as the network inference benchmarks use.</summary>
    internal static Network CreateNetwork(NetworkArchitecture architecture)
    {
        Network network = Network.Create(architecture, ActivationFunctions.Get(NetworkInferenceBenchmarks.ActivationId), seed: 5);
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
}
