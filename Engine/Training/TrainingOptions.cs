namespace Engine.Training;

/// <summary>How to train a <see cref="ConvNet"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Images per optimiser step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate in the first epoch; it decays along a cosine to a twentieth of this.</summary>
    public float LearningRate { get; init; } = 2e-3f;

    /// <summary>The seed of initialisation, shuffling and noise: the same seed gives the same network.</summary>
    public int Seed { get; init; } = 1;
}
