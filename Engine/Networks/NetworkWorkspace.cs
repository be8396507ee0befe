namespace Engine.Networks;

/// <summary>
/// One thread's buffers for a <see cref="Network"/>: every layer's input and output for a batch, their
/// gradients, and each layer's scratch.
/// </summary>
public sealed class NetworkWorkspace
{
    internal NetworkWorkspace(Network network, int batchSize, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        IsForTraining = training;
        IReadOnlyList<Layer> layers = network.Layers;
        int[] sizes = [layers[0].Input.Size, .. layers.Select(l => l.Output.Size)];
        Values = new float[sizes.Length][];
        for (int i = 0; i < sizes.Length; i++)
        {
            // At inference an activation applied by the layer before it does not run: it shares that layer's output.
            Values[i] = !training && i > 0 && network.AppliedByPreviousLayer[i - 1] ? Values[i - 1] : new float[batchSize * sizes[i]];
        }
        Gradients = sizes.Select(size => training ? new float[batchSize * size] : []).ToArray();
        Scratch = layers.Select(l => l.CreateScratch(batchSize, training)).ToArray();
    }

    /// <summary>The most images one pass can hold.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the workspace can hold a backward pass; an inference workspace holds only the forward one.</summary>
    public bool IsForTraining { get; }

    /// <summary>Values[i] is layer i's input; Values[i + 1] its output.</summary>
    internal float[][] Values { get; }

    /// <summary>The loss gradient with respect to each of <see cref="Values"/>.</summary>
    internal float[][] Gradients { get; }

    /// <summary>Each layer's own scratch.</summary>
    internal object?[] Scratch { get; }

    /// <summary>The logits of the last forward pass, <c>classes</c> per image.</summary>
    public ReadOnlySpan<float> Logits => Values[^1];

    /// <summary>The output of layer <paramref name="index"/> in the last forward pass.</summary>
    /// <remarks>
    /// In an inference workspace, a convolution or fully connected layer applies the activation after it in its
    /// own pass, so its output and the activation's are one buffer holding the activated values.
    /// </remarks>
    public ReadOnlySpan<float> Output(int index) => Values[index + 1];
}
