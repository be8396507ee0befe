namespace Engine.Training;

/// <summary>How to train a <see cref="ConvNet"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Images per optimiser step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate in the first epoch; it decays along a cosine to a twentieth of this.</summary>
    public float LearningRate { get; init; } = 5e-3f;

    /// <summary>
    /// Decoupled weight decay (AdamW): each step shrinks the weights, not the biases, by
    /// learning rate × this. It keeps 7,000 images from being memorised.
    /// </summary>
    public float WeightDecay { get; init; } = 0.05f;

    /// <summary>
    /// Training images are moved by a random whole number of pixels, up to this many in each direction,
    /// every time they are seen (0 turns it off). Pooling alone tolerates a pixel; this teaches the network
    /// the few pixels of slack that centring by centre of mass leaves.
    /// </summary>
    public int MaxShift { get; init; } = 2;

    /// <summary>The seed of initialisation, shuffling and noise: the same seed gives the same network.</summary>
    public int Seed { get; init; } = 1;
}
