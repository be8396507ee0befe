using System.Globalization;
using Engine.Networks;

namespace Engine.Onnx;

/// <summary>
/// One layer recognised in an ONNX graph, before it is matched to an architecture: its settings, the shape it
/// reads and, for the linear layers, its weights in ONNX's channels-first layout.
/// </summary>
/// <param name="Node">The index of the graph node the layer starts at, for messages.</param>
internal abstract record ImportedLayer(int Node)
{
    /// <summary>The layer in the words of <see cref="Describe(Layer)"/>, so the two can be compared in messages.</summary>
    public abstract override string ToString();

    /// <summary>A managed layer in the same words as <see cref="ToString"/>.</summary>
    public static string Describe(Layer layer) => layer switch
    {
        ConvolutionLayer conv => ImportedConvolution.Describe(conv.Input, conv.Kernel, conv.Filters, conv.Padding),
        ActivationLayer activation => activation.Function.Id,
        LocalResponseNormalizationLayer lrn => ImportedNormalization.Describe(lrn.Size, lrn.Alpha, lrn.Beta, lrn.Bias),
        MaxPoolLayer pool => ImportedPooling.Describe(pool.Input),
        DenseLayer dense => ImportedDense.Describe(dense.Input, dense.Units),
        _ => layer.Name,
    };
}

/// <summary>A Conv node: stride 1, the same padding on every side.</summary>
internal sealed record ImportedConvolution(int Node, FeatureShape Input, int Kernel, int Filters, int Padding, float[] Weight, float[] Bias)
    : ImportedLayer(Node)
{
    public override string ToString() => Describe(Input, Kernel, Filters, Padding);

    public static string Describe(FeatureShape input, int kernel, int filters, int padding) =>
        $"conv {kernel}×{kernel}×{filters} (pad {padding}) of {input}";
}

/// <summary>An activation's operator or subgraph, by activation id, with each unit's learned slope where it has one.</summary>
internal sealed record ImportedActivation(int Node, string Id, float[]? Slopes) : ImportedLayer(Node)
{
    public override string ToString() => Id;
}

/// <summary>An LRN node.</summary>
internal sealed record ImportedNormalization(int Node, int Size, float Alpha, float Beta, float Bias) : ImportedLayer(Node)
{
    public override string ToString() => Describe(Size, Alpha, Beta, Bias);

    public static string Describe(int size, float alpha, float beta, float bias) =>
        string.Create(CultureInfo.InvariantCulture, $"LRN(size {size}, alpha {alpha:R}, beta {beta:R}, bias {bias:R})");
}

/// <summary>A MaxPool node with a 2×2 window and stride 2.</summary>
internal sealed record ImportedPooling(int Node, FeatureShape Input) : ImportedLayer(Node)
{
    public override string ToString() => Describe(Input);

    public static string Describe(FeatureShape input) => $"max-pool 2×2 of {input}";
}

/// <summary>A Gemm node with transposed weights, fed by <paramref name="Input"/> flattened channels-first.</summary>
internal sealed record ImportedDense(int Node, FeatureShape Input, int Units, float[] Weight, float[] Bias) : ImportedLayer(Node)
{
    public override string ToString() => Describe(Input, Units);

    public static string Describe(FeatureShape input, int units) => $"dense {units} of {input}";
}
