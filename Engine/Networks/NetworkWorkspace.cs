namespace Engine.Networks;

/// <summary>
/// One thread's buffers for a <see cref="Network"/>: every layer's input and output for a batch, their
/// gradients, and each layer's scratch.
/// </summary>
public sealed class NetworkWorkspace
{
    internal NetworkWorkspace(Network network, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        IReadOnlyList<Layer> layers = network.Layers;
        Values = new float[layers.Count + 1][];
        Gradients = new float[layers.Count + 1][];
        Values[0] = new float[batchSize * layers[0].Input.Size];
        Gradients[0] = new float[batchSize * layers[0].Input.Size];
        for (int i = 0; i < layers.Count; i++)
        {
            Values[i + 1] = new float[batchSize * layers[i].Output.Size];
            Gradients[i + 1] = new float[batchSize * layers[i].Output.Size];
        }
        Scratch = layers.Select(l => l.CreateScratch(batchSize)).ToArray();
    }

    /// <summary>The most images one pass can hold.</summary>
    public int BatchSize { get; }

    /// <summary>Values[i] is layer i's input; Values[i + 1] its output.</summary>
    internal float[][] Values { get; }

    /// <summary>The loss gradient with respect to each of <see cref="Values"/>.</summary>
    internal float[][] Gradients { get; }

    /// <summary>Each layer's own scratch.</summary>
    internal object?[] Scratch { get; }

    /// <summary>The logits of the last forward pass, <c>classes</c> per image.</summary>
    public ReadOnlySpan<float> Logits => Values[^1];

    /// <summary>The output of layer <paramref name="index"/> in the last forward pass.</summary>
    public ReadOnlySpan<float> Output(int index) => Values[index + 1];
}
