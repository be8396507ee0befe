using Engine.Activations;

namespace Engine.Networks;

/// <summary>A named stack of layers, built for a chosen activation.</summary>
/// <param name="Name">The name in model names and cards: <c>baseline</c>, <c>enhanced</c> or <c>narrow</c>.</param>
/// <param name="Description">The layers, in words.</param>
/// <param name="Build">Makes the layers, with the activation after every linear layer but the last.</param>
public sealed record NetworkArchitecture(string Name, string Description, Func<ActivationFunction, IReadOnlyList<Layer>> Build)
{
    /// <summary>The side of the square, single-channel input image.</summary>
    public const int ImageSide = 28;

    /// <summary>Output classes.</summary>
    public const int Classes = 10;

    /// <summary>The rate of the enhanced network's dropout.</summary>
    public const float DropoutRate = 0.3f;

    /// <summary>The hidden units of the narrow network.</summary>
    public const int NarrowHiddenUnits = 16;

    private static readonly FeatureShape Image = new(ImageSide, ImageSide, 1);

    /// <summary>
    /// The article's baseline: 28×28×1 → conv 5×5, 20 filters → activation → max-pool 2×2 → fully connected 10.
    /// </summary>
    public static NetworkArchitecture Baseline { get; } = new(
        "baseline",
        "28×28×1 → conv 5×5, 20 filters → activation → max-pool 2×2 stride 2 → fully connected 10 → softmax",
        activation =>
        {
            var conv = new ConvolutionLayer("conv1", Image, filters: 20, kernel: 5, padding: 0);
            var act = new ActivationLayer(conv, activation);
            var pool = new MaxPoolLayer("pool1", act.Output);
            return [conv, act, pool, new DenseLayer("dense1", pool.Output, Classes)];
        });

    /// <summary>
    /// The article's enhanced network: two padded 5×5 convolutions (16 and 32 filters), each followed by the
    /// activation, local response normalisation and 2×2 max pooling; a hidden layer of 128 units with the
    /// activation and dropout; the output layer.
    /// </summary>
    public static NetworkArchitecture Enhanced { get; } = new(
        "enhanced",
        "28×28×1 → conv 5×5×16 (pad 2) → activation → LRN(5) → max-pool 2×2 → conv 5×5×32 (pad 2) → activation → LRN(5) → max-pool 2×2 " +
        "→ fully connected 128 → activation → dropout 0.3 → fully connected 10 → softmax",
        activation =>
        {
            var conv1 = new ConvolutionLayer("conv1", Image, filters: 16, kernel: 5, padding: 2);
            var act1 = new ActivationLayer(conv1, activation);
            var norm1 = new LocalResponseNormalizationLayer("lrn1", act1.Output);
            var pool1 = new MaxPoolLayer("pool1", norm1.Output);
            var conv2 = new ConvolutionLayer("conv2", pool1.Output, filters: 32, kernel: 5, padding: 2);
            var act2 = new ActivationLayer(conv2, activation);
            var norm2 = new LocalResponseNormalizationLayer("lrn2", act2.Output);
            var pool2 = new MaxPoolLayer("pool2", norm2.Output);
            var hidden = new DenseLayer("dense1", pool2.Output, 128);
            var act3 = new ActivationLayer(hidden, activation);
            var dropout = new DropoutLayer("dropout1", act3.Output, DropoutRate);
            return [conv1, act1, norm1, pool1, conv2, act2, norm2, pool2, hidden, act3, dropout, new DenseLayer("dense2", dropout.Output, Classes)];
        });

    /// <summary>
    /// The baseline with a hidden layer of 16 units before the output: 28×28×1 → conv 5×5, 20 filters → activation
    /// → max-pool 2×2 → fully connected 16 → activation → fully connected 10. So few hidden units that each one
    /// that dies takes a sixteenth of the layer with it, which is where an activation that keeps units alive
    /// should show in the accuracy.
    /// </summary>
    public static NetworkArchitecture Narrow { get; } = new(
        "narrow",
        "28×28×1 → conv 5×5, 20 filters → activation → max-pool 2×2 stride 2 → fully connected 16 → activation → fully connected 10 → softmax",
        activation =>
        {
            var conv = new ConvolutionLayer("conv1", Image, filters: 20, kernel: 5, padding: 0);
            var act1 = new ActivationLayer(conv, activation);
            var pool = new MaxPoolLayer("pool1", act1.Output);
            var hidden = new DenseLayer("dense1", pool.Output, NarrowHiddenUnits);
            var act2 = new ActivationLayer(hidden, activation);
            return [conv, act1, pool, hidden, act2, new DenseLayer("dense2", act2.Output, Classes)];
        });

    /// <summary>The architectures the service's models are trained on: baseline first, then enhanced.</summary>
    public static IReadOnlyList<NetworkArchitecture> All { get; } = [Baseline, Enhanced];

    /// <summary>
    /// Every architecture the engine builds, exports and imports: <see cref="All"/> and the narrow network, which
    /// only the activation study trains.
    /// </summary>
    public static IReadOnlyList<NetworkArchitecture> Known { get; } = [Baseline, Enhanced, Narrow];

    /// <summary>The architecture called <paramref name="name"/>, one of <see cref="Known"/>.</summary>
    /// <exception cref="ArgumentException">No architecture has that name.</exception>
    public static NetworkArchitecture Get(string name) =>
        Known.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"Unknown architecture '{name}'. Valid names: {string.Join(", ", Known.Select(a => a.Name))}.", nameof(name));
}
