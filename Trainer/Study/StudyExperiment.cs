namespace Trainer.Study;

/// <summary>
/// One group of cells that differ only in activation and seed: a dataset, an architecture, a learning rate and a
/// number of epochs.
/// </summary>
/// <param name="Name">Unique within the plan; part of every cell's slot and file name, e.g. <c>standard</c> or <c>lr-x5</c>.</param>
/// <param name="Kind">What the experiment is for.</param>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Architecture">The architecture name.</param>
/// <param name="LearningRate">The initial learning rate, or null for the architecture's default.</param>
/// <param name="Epochs">A fixed number of epochs, or null to take the one <paramref name="EpochsFrom"/> chooses.</param>
/// <param name="EpochsFrom">The <see cref="EpochChoice.Name"/> whose pilots choose the epochs when <paramref name="Epochs"/> is null.</param>
/// <param name="ArticleSeeds">Seeds 1 to this for the article's activations.</param>
/// <param name="AddedSeeds">Seeds 1 to this for the activations added since.</param>
public sealed record StudyExperiment(
    string Name,
    ExperimentKind Kind,
    string Dataset,
    string Architecture,
    float? LearningRate,
    int? Epochs,
    string? EpochsFrom,
    int ArticleSeeds,
    int AddedSeeds);
