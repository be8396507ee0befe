namespace Contracts;

/// <summary>The training options a model was made with (the Trainer's <c>TrainingOptions</c>, field for field).</summary>
/// <param name="Epochs">The most passes over the training images.</param>
/// <param name="BatchSize">Images per optimiser step.</param>
/// <param name="LearningRate">Adam's learning rate in the first epoch (cosine decay to a twentieth of it).</param>
/// <param name="WeightDecay">Decoupled weight decay.</param>
/// <param name="MaxShift">The largest shift of a training image, in pixels (0: none).</param>
/// <param name="MaxRotationDegrees">The largest rotation of a training image, in degrees (0: none).</param>
/// <param name="MaxScale">The largest relative scaling of a training image (0: none).</param>
/// <param name="Patience">Epochs without a better validation accuracy before training stops (0: never).</param>
/// <param name="Seed">The seed of initialisation, shuffling, augmentation, dropout and noise.</param>
public sealed record TrainingSettings(
    int Epochs,
    int BatchSize,
    float LearningRate,
    float WeightDecay,
    int MaxShift,
    float MaxRotationDegrees,
    float MaxScale,
    int Patience,
    int Seed);
