using BenchmarkDotNet.Attributes;
using Engine.Networks;

namespace Benchmarks;

/// <summary>
/// One layer of the enhanced network's inference pass at a time, as <see cref="Network.Forward"/> runs it with
/// an inference workspace: convolutions and dense layers with their bias and activation in the product's
/// epilogue, the activation layers not at all. The inputs are the layer's real inputs for the benchmark digits,
/// so the per-layer times add up to the pass and show where it spends its time.
/// </summary>
public class EnhancedLayerBenchmarks
{
    private Layer _layer = null!;
    private float[] _parameters = null!;
    private float[] _input = null!;
    private float[] _output = null!;
    private object? _scratch;
    private Engine.Activations.ActivationFunction? _activation;

    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "conv1";

    [Params(1, 32)]
    public int Batch { get; set; } = 1;

    /// <summary>The enhanced network's layers that run at inference: all but the activations.</summary>
    public static IEnumerable<string> LayerNames =>
        NetworkArchitecture.Enhanced.Build(Engine.Activations.ActivationFunctions.Relu).Where(l => l is not ActivationLayer).Select(l => l.Name);

    [GlobalSetup]
    public void Setup()
    {
        Network network = FusedEpilogueBenchmarks.CreateNetwork(NetworkArchitecture.Enhanced);
        int index = network.Layers.Select(l => l.Name).ToList().IndexOf(Layer);
        _layer = network.Layers[index];
        _parameters = network.Parameters.AsSpan(_layer.ParameterOffset, _layer.ParameterCount).ToArray();
        float[] images = BenchmarkDigits.Test(Batch).Images;
        NetworkWorkspace workspace = network.CreateInferenceWorkspace(Batch);
        network.Forward(images, Batch, workspace);
        _input = index == 0 ? images : workspace.Output(index - 1)[..(Batch * _layer.Input.Size)].ToArray();
        _output = new float[Batch * _layer.Output.Size];
        _scratch = _layer.CreateScratch(Batch, training: false);
        _activation = index + 1 < network.Layers.Count && network.Layers[index + 1] is ActivationLayer next ? next.Function : null;
        Forward();
    }

    [Benchmark]
    public void Forward()
    {
        if (_layer.CanApplyActivation)
        {
            _layer.ForwardWithActivation(_parameters, _input, _output, Batch, _scratch, _activation);
        }
        else
        {
            _layer.Forward(_parameters, _input, _output, Batch, _scratch, null);
        }
    }
}
