using Engine.Networks;

namespace Training.Pipeline;

/// <summary>How to train a <see cref="Network"/>. <see cref="For"/> gives each architecture's defaults.</summary>
public sealed record TrainingOptions
{
    /// <summary>The most passes over the training images.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Images per optimiser step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate in the first epoch; it decays along a cosine to a twentieth of this.</summary>
    public float LearningRate { get; init; } = 5e-3f;

    /// <summary>
    /// Decoupled weight decay (AdamW): each step shrinks the weights, not the biases, by learning rate × this.
    /// </summary>
    public float WeightDecay { get; init; } = 0.05f;

    /// <summary>
    /// Training images are moved by up to this many pixels in each direction, afresh every time they are seen
    /// (0 turns it off). Whole pixels when there is no rotation or scaling, otherwise any fraction.
    /// </summary>
    public int MaxShift { get; init; } = 2;

    /// <summary>Training images are rotated by up to this many degrees either way (0 turns it off).</summary>
    public float MaxRotationDegrees { get; init; }

    /// <summary>Training images are scaled by a factor in [1 − this, 1 + this] (0 turns it off).</summary>
    public float MaxScale { get; init; }

    /// <summary>Early stopping: training ends after this many epochs without a better validation accuracy (0: never).</summary>
    public int Patience { get; init; }

    /// <summary>The seed of initialisation, shuffling, augmentation, dropout and noise: the same seed gives the same network.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The defaults the committed models were trained with.</summary>
    public static TrainingOptions For(NetworkArchitecture architecture) => architecture.Name switch
    {
        "enhanced" => new TrainingOptions
        {
            Epochs = 30,
            BatchSize = 64,
            LearningRate = 2e-3f,
            WeightDecay = 0.05f,
            MaxShift = 2,
            MaxRotationDegrees = 10,
            MaxScale = 0.1f,
            Patience = 8,
        },
        _ => new TrainingOptions(),
    };
}
