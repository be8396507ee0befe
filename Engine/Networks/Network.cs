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

    // Inference buffers are kept between calls, so that a request pays for neither allocating them nor the
    // garbage. A fixed set of slots taken and returned with Interlocked: unlike a concurrent collection, that
    // allocates nothing per call. A workspace returned when every slot is full is left to the collector.
    private readonly NetworkWorkspace?[] inferenceWorkspaces = new NetworkWorkspace?[2 * Environment.ProcessorCount];

    private readonly int[] parameterOffsets;
    private readonly int[] parameterCounts;

    // At inference, a layer that can apply the activation after it does so in its own pass (the activation is
    // then skipped), and one without a following activation applies its bias the same way.
    private readonly ActivationFunction?[] appliedActivations;
    private readonly bool[] appliedByPreviousLayer;

    // At inference the layers before the first fully connected one run image by image (see Forward).
    private readonly int imageByImageLayers;

    private Network(NetworkArchitecture architecture, ActivationFunction activation, IReadOnlyList<Layer> layers, float[] parameters)
    {
        Architecture = architecture;
        Activation = activation;
        Layers = layers;
        Parameters = parameters;
        imageByImageLayers = layers.TakeWhile(l => l is not DenseLayer).Count();
        parameterOffsets = layers.Select(l => l.ParameterOffset).ToArray();
        parameterCounts = layers.Select(l => l.ParameterCount).ToArray();
        appliedActivations = new ActivationFunction?[layers.Count];
        appliedByPreviousLayer = new bool[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            // A learned slope per unit has no place in a matrix product's epilogue: such an activation runs on its own.
            if (layers[i].CanApplyActivation && i + 1 < layers.Count && layers[i + 1] is ActivationLayer next && !next.Function.HasLearnedSlope)
            {
                appliedActivations[i] = next.Function;
                appliedByPreviousLayer[i + 1] = true;
            }
        }
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

    /// <summary>The activation layers, whose units the Training project's <c>UnitCensus</c> counts.</summary>
    public IEnumerable<ActivationLayer> ActivationLayers => Layers.OfType<ActivationLayer>();

    /// <summary>
    /// For each layer, whether it is an activation that the layer before it applies in its own pass at
    /// inference; an inference workspace then gives both layers one buffer.
    /// </summary>
    internal IReadOnlyList<bool> AppliedByPreviousLayer => appliedByPreviousLayer;

    /// <summary>Values per input image.</summary>
    public int InputSize => Layers[0].Input.Size;

    /// <summary>Output classes.</summary>
    public int Classes => Layers[^1].Output.Size;

    /// <summary>
    /// A network with He-initialised weights (normal, variance 2 / fan-in), zero biases and learned slopes at their
    /// initial value; the same seed gives the same weights.
    /// </summary>
    public static Network Create(NetworkArchitecture architecture, ActivationFunction activation, int seed)
    {
        IReadOnlyList<Layer> layers = Assemble(architecture, activation, out int count);
        var parameters = new float[count];
        var random = new Random(seed);
        foreach (ParameterTensor tensor in layers.SelectMany(l => l.Parameters))
        {
            if (tensor.IsWeight)
            {
                FillNormal(parameters.AsSpan(tensor.Offset, tensor.Length), MathF.Sqrt(2f / tensor.FanIn), random);
            }
            else
            {
                parameters.AsSpan(tensor.Offset, tensor.Length).Fill(tensor.InitialValue);
            }
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
    /// <remarks>
    /// With an inference workspace, each convolution and fully connected layer adds its bias and applies the
    /// activation after it while its matrix product still holds the values in registers, and the separate
    /// activation pass is skipped; Noisy ReLU is ReLU there. The layers before the first fully connected one
    /// run image by image, so that each image's feature maps stay in the cache. On a processor with AVX-512 the logits are bit for
    /// bit those of a training workspace's pass without <paramref name="training"/>, which writes every
    /// pre-activation value out, as the backward pass needs; elsewhere the activations built on eˣ may differ
    /// from it in the last bit where a product's last few columns are finished in scalar code.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> exceeds the workspace's batch size.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="training"/> is given with an inference workspace.</exception>
    public void Forward(ReadOnlySpan<float> images, int count, NetworkWorkspace workspace, Random? training = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, workspace.BatchSize);
        if (training is not null && !workspace.IsForTraining)
        {
            throw new InvalidOperationException("The workspace was made for inference; training needs one from CreateWorkspace.");
        }
        images[..(count * InputSize)].CopyTo(workspace.Values[0]);
        if (workspace.IsForTraining)
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                Layer layer = Layers[i];
                layer.Forward(Parameters.AsSpan(parameterOffsets[i], parameterCounts[i]), workspace.Values[i], workspace.Values[i + 1], count, workspace.Scratch[i], training);
            }
            return;
        }

        // The convolutional layers run image by image: one image's feature maps, a few hundred kilobytes, stay
        // in the cache from one layer to the next, where a batch's would go to memory and back between layers.
        // Every one of those layers treats images independently, so the values are the same. The fully
        // connected layers then take the whole batch, which reads their weights once for all the images.
        for (int image = 0; image < count; image++)
        {
            for (int i = 0; i < imageByImageLayers; i++)
            {
                Layer layer = Layers[i];
                ForwardInference(i, workspace.Values[i].AsSpan(image * layer.Input.Size, layer.Input.Size),
                    workspace.Values[i + 1].AsSpan(image * layer.Output.Size, layer.Output.Size), 1, workspace.Scratch[i]);
            }
        }
        for (int i = imageByImageLayers; i < Layers.Count; i++)
        {
            ForwardInference(i, workspace.Values[i], workspace.Values[i + 1], count, workspace.Scratch[i]);
        }
    }

    private void ForwardInference(int index, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch)
    {
        Layer layer = Layers[index];
        ReadOnlySpan<float> parameters = Parameters.AsSpan(parameterOffsets[index], parameterCounts[index]);
        if (layer.CanApplyActivation)
        {
            layer.ForwardWithActivation(parameters, input, output, count, scratch, appliedActivations[index]);
        }
        else if (!appliedByPreviousLayer[index])
        {
            layer.Forward(parameters, input, output, count, scratch, null);
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
    /// <exception cref="ArgumentException"><paramref name="images"/> is not a whole number of images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probabilities"/> is shorter than <see cref="Classes"/> per image.</exception>
    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities) => Classify(images, probabilities, maxDegreeOfParallelism: -1);

    /// <summary>
    /// Class probabilities of every image in <paramref name="images"/> (<see cref="InputSize"/> values each), in
    /// blocks of <see cref="InferenceBlock"/> images on at most <paramref name="maxDegreeOfParallelism"/> threads
    /// at once: −1 for as many as the thread pool gives, 1 for the calling thread only.
    /// </summary>
    /// <remarks>
    /// Up to <see cref="InferenceBlock"/> images, or with one thread, the call runs on the calling thread and
    /// allocates nothing once its pooled buffers exist. Larger batches on more threads are read and written in
    /// place, without a copy, and allocate only the thread pool's bookkeeping. A caller that already keeps every
    /// core busy (a server handling requests side by side) may be faster with one thread: the hand-off to the
    /// pool and the wait for the slowest block are then pure cost.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not a whole number of images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probabilities"/> is shorter than <see cref="Classes"/> per image, or <paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities, int maxDegreeOfParallelism)
    {
        int inputSize = InputSize;
        int classes = Classes;
        int count = images.Length / inputSize;
        if (images.Length != count * inputSize)
        {
            throw new ArgumentException($"The input holds {images.Length} values, not a whole number of {inputSize}-value images.", nameof(images));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, count * classes, nameof(probabilities));
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 for no limit, or a positive number of threads.");
        }
        int blocks = (count + InferenceBlock - 1) / InferenceBlock;
        if (blocks <= 1 || maxDegreeOfParallelism == 1)
        {
            NetworkWorkspace workspace = RentInferenceWorkspace();
            for (int first = 0; first < count; first += InferenceBlock)
            {
                int n = Math.Min(InferenceBlock, count - first);
                ClassifyBlock(images.Slice(first * inputSize, n * inputSize), n, probabilities.Slice(first * classes, n * classes), workspace);
            }
            ReturnInferenceWorkspace(workspace);
            return;
        }

        ClassifyInParallel(images, probabilities, count, blocks, maxDegreeOfParallelism);
    }

    // Apart from Classify: the closure's captured variables would otherwise be allocated on every call, even on
    // the single-threaded path.
    private unsafe void ClassifyInParallel(ReadOnlySpan<float> images, Span<float> probabilities, int count, int blocks, int maxDegreeOfParallelism)
    {
        int inputSize = InputSize;
        int classes = Classes;
        // The spans are pinned for the whole parallel loop, which returns only once every block is done.
        fixed (float* input = images)
        fixed (float* output = probabilities)
        {
            nint inputAddress = (nint)input;
            nint outputAddress = (nint)output;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, RentInferenceWorkspace, (block, _, workspace) =>
            {
                int first = block * InferenceBlock;
                int n = Math.Min(InferenceBlock, count - first);
                ClassifyBlock(
                    new ReadOnlySpan<float>((float*)inputAddress + (long)first * inputSize, n * inputSize), n,
                    new Span<float>((float*)outputAddress + (long)first * classes, n * classes), workspace);
                return workspace;
            }, ReturnInferenceWorkspace);
        }
    }

    private NetworkWorkspace RentInferenceWorkspace()
    {
        for (int i = 0; i < inferenceWorkspaces.Length; i++)
        {
            if (Volatile.Read(ref inferenceWorkspaces[i]) is not null && Interlocked.Exchange(ref inferenceWorkspaces[i], null) is { } workspace)
            {
                return workspace;
            }
        }
        return CreateInferenceWorkspace(InferenceBlock);
    }

    private void ReturnInferenceWorkspace(NetworkWorkspace workspace)
    {
        for (int i = 0; i < inferenceWorkspaces.Length; i++)
        {
            if (Interlocked.CompareExchange(ref inferenceWorkspaces[i], workspace, null) is null)
            {
                return;
            }
        }
    }

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
