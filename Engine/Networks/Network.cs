using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// A feed-forward network of <see cref="Layer"/>s ending in logits, with every parameter in one flat array
/// (so the optimiser and the gradient sums treat them alike). It is both the trainer's model and a managed
/// inference path that gives the same answers as the exported ONNX model.
/// </summary>
public sealed class Network
{
    /// <summary>Images per block when inference splits a batch across cores.</summary>
    public const int InferenceBlock = 16;

    private readonly ConcurrentBag<NetworkWorkspace> inferenceWorkspaces = [];

    private Network(NetworkArchitecture architecture, ActivationFunction activation, IReadOnlyList<Layer> layers, float[] parameters)
    {
        Architecture = architecture;
        Activation = activation;
        Layers = layers;
        Parameters = parameters;
    }

    /// <summary>The architecture the layers were built from.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The activation after every hidden linear layer.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>The layers, input first; the last one produces the logits.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Every weight and bias, layer by layer; updated in place by training.</summary>
    public float[] Parameters { get; }

    /// <summary>The named tensors of <see cref="Parameters"/>, in order.</summary>
    public IEnumerable<ParameterTensor> Tensors => Layers.SelectMany(l => l.Parameters);

    /// <summary>The activation layers, whose units the dead/dormant diagnostics count.</summary>
    public IEnumerable<ActivationLayer> ActivationLayers => Layers.OfType<ActivationLayer>();

    /// <summary>Values per input image.</summary>
    public int InputSize => Layers[0].Input.Size;

    /// <summary>Output classes.</summary>
    public int Classes => Layers[^1].Output.Size;

    /// <summary>
    /// A network with He-initialised weights (normal, variance 2 / fan-in) and zero biases; the same seed
    /// gives the same weights.
    /// </summary>
    public static Network Create(NetworkArchitecture architecture, ActivationFunction activation, int seed)
    {
        IReadOnlyList<Layer> layers = Assemble(architecture, activation, out int count);
        var parameters = new float[count];
        var random = new Random(seed);
        foreach (ParameterTensor tensor in layers.SelectMany(l => l.Parameters).Where(t => t.IsWeight))
        {
            FillNormal(parameters.AsSpan(tensor.Offset, tensor.Length), MathF.Sqrt(2f / tensor.FanIn), random);
        }
        return new Network(architecture, activation, layers, parameters);
    }

    /// <summary>A network with the given parameters (copied).</summary>
    /// <exception cref="ArgumentException">The number of parameters does not match the architecture.</exception>
    public static Network FromParameters(NetworkArchitecture architecture, ActivationFunction activation, ReadOnlySpan<float> parameters)
    {
        IReadOnlyList<Layer> layers = Assemble(architecture, activation, out int count);
        if (parameters.Length != count)
        {
            throw new ArgumentException($"The {architecture.Name} network has {count} parameters, not {parameters.Length}.", nameof(parameters));
        }
        return new Network(architecture, activation, layers, parameters.ToArray());
    }

    /// <summary>Buffers for training on up to <paramref name="batchSize"/> images at once on one thread.</summary>
    public NetworkWorkspace CreateWorkspace(int batchSize) => new(this, batchSize, training: true);

    /// <summary>Buffers for the forward pass only, of up to <paramref name="batchSize"/> images at once on one thread.</summary>
    public NetworkWorkspace CreateInferenceWorkspace(int batchSize) => new(this, batchSize, training: false);

    /// <summary>
    /// Runs <paramref name="count"/> images forward; the logits are then in <see cref="NetworkWorkspace.Logits"/>.
    /// With <paramref name="training"/>, dropout and activation noise are on.
    /// </summary>
    public void Forward(ReadOnlySpan<float> images, int count, NetworkWorkspace workspace, Random? training = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, workspace.BatchSize);
        if (training is not null && !workspace.IsForTraining)
        {
            throw new InvalidOperationException("The workspace was made for inference; training needs one from CreateWorkspace.");
        }
        images[..(count * InputSize)].CopyTo(workspace.Values[0]);
        for (int i = 0; i < Layers.Count; i++)
        {
            Layer layer = Layers[i];
            layer.Forward(Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount), workspace.Values[i], workspace.Values[i + 1],
                count, workspace.Scratch[i], training);
        }
    }

    /// <summary>
    /// Backpropagates the softmax cross-entropy of the images last run forward in <paramref name="workspace"/>
    /// against <paramref name="labels"/>, adding the gradients to <paramref name="gradient"/> (shaped like
    /// <see cref="Parameters"/>).
    /// </summary>
    /// <returns>The sum of the images' losses and the number they classified correctly.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="workspace"/> is an inference workspace.</exception>
    public (double Loss, int Correct) Backward(ReadOnlySpan<byte> labels, int count, NetworkWorkspace workspace, Span<float> gradient)
    {
        if (!workspace.IsForTraining)
        {
            throw new InvalidOperationException("The workspace was made for inference; training needs one from CreateWorkspace.");
        }
        int classes = Classes;
        float[] logits = workspace.Values[^1];
        float[] logitGradient = workspace.Gradients[^1];
        double loss = 0;
        int correct = 0;
        for (int image = 0; image < count; image++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(image * classes, classes);
            Span<float> dz = logitGradient.AsSpan(image * classes, classes);
            correct += TensorPrimitives.IndexOfMax(z) == labels[image] ? 1 : 0;
            // Softmax with cross-entropy: dLoss/dz = softmax(z) − one-hot(label).
            Softmax(z, dz);
            loss -= Math.Log(Math.Max(dz[labels[image]], 1e-30f));
            dz[labels[image]] -= 1f;
        }

        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            Layer layer = Layers[i];
            layer.Backward(
                Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount),
                workspace.Values[i],
                workspace.Values[i + 1],
                workspace.Gradients[i + 1],
                i == 0 ? Span<float>.Empty : workspace.Gradients[i],
                gradient.Slice(layer.ParameterOffset, layer.ParameterCount),
                count,
                workspace.Scratch[i]);
        }
        return (loss, correct);
    }

    /// <summary>
    /// Class probabilities of every image in <paramref name="images"/> (<see cref="InputSize"/> values each),
    /// split across cores in blocks of <see cref="InferenceBlock"/> images.
    /// </summary>
    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        int count = images.Length / InputSize;
        if (images.Length != count * InputSize)
        {
            throw new ArgumentException($"The input holds {images.Length} values, not a whole number of {InputSize}-value images.", nameof(images));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, count * Classes, nameof(probabilities));
        if (count <= InferenceBlock)
        {
            NetworkWorkspace workspace = RentInferenceWorkspace();
            ClassifyBlock(images, count, probabilities, workspace);
            inferenceWorkspaces.Add(workspace);
            return;
        }

        float[] input = images.ToArray();
        float[] output = new float[count * Classes];
        int blocks = (count + InferenceBlock - 1) / InferenceBlock;
        Parallel.For(0, blocks, RentInferenceWorkspace, (block, _, workspace) =>
        {
            int first = block * InferenceBlock;
            int n = Math.Min(InferenceBlock, count - first);
            ClassifyBlock(input.AsSpan(first * InputSize, n * InputSize), n, output.AsSpan(first * Classes, n * Classes), workspace);
            return workspace;
        }, inferenceWorkspaces.Add);
        output.CopyTo(probabilities);
    }

    // Inference buffers are kept between calls: a request should not pay for allocating them.
    private NetworkWorkspace RentInferenceWorkspace() =>
        inferenceWorkspaces.TryTake(out NetworkWorkspace? workspace) ? workspace : CreateInferenceWorkspace(InferenceBlock);

    private void ClassifyBlock(ReadOnlySpan<float> images, int count, Span<float> probabilities, NetworkWorkspace workspace)
    {
        Forward(images, count, workspace);
        for (int image = 0; image < count; image++)
        {
            Softmax(workspace.Logits.Slice(image * Classes, Classes), probabilities.Slice(image * Classes, Classes));
        }
    }

    /// <summary>p = softmax(z), computed as exp(z − max z) / Σ so that large logits cannot overflow.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float largest = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, largest, probabilities);
        TensorPrimitives.Exp(probabilities[..logits.Length], probabilities);
        TensorPrimitives.Divide(probabilities[..logits.Length], TensorPrimitives.Sum(probabilities[..logits.Length]), probabilities);
    }

    private static IReadOnlyList<Layer> Assemble(NetworkArchitecture architecture, ActivationFunction activation, out int parameterCount)
    {
        IReadOnlyList<Layer> layers = architecture.Build(activation);
        parameterCount = 0;
        foreach (Layer layer in layers)
        {
            parameterCount = layer.AssignParameters(parameterCount);
        }
        return layers;
    }

    private static void FillNormal(Span<float> values, float standardDeviation, Random random)
    {
        foreach (ref float value in values)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            value = standardDeviation * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
