using System.Text.Json.Serialization;

namespace Trainer.Study;

/// <summary>What a group of study cells is for; the report gives each kind its own section.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExperimentKind>))]
public enum ExperimentKind
{
    /// <summary>Every activation at the architecture's default learning rate, trained for the epochs its pilot chose.</summary>
    Standard,

    /// <summary>The pilot runs whose validation accuracy chooses how many epochs a block's standard cells get.</summary>
    EpochChoice,

    /// <summary>The same cells at a learning rate other than the default, to see whether the ranking depends on it.</summary>
    LearningRateSweep,

    /// <summary>A deliberately high learning rate that provokes dying units.</summary>
    HighLearningRate,
}
