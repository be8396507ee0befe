using System.Globalization;
using Engine.Activations;
using Engine.Networks;
using Engine.Training;

namespace Trainer.Study;

/// <summary>One run the study must make; <see cref="Key"/> names its result file.</summary>
/// <param name="Experiment"><c>standard</c>, <c>high_lr</c> or <c>longer</c>.</param>
/// <param name="Dataset"><c>mnist</c> or <c>fashion</c>.</param>
/// <param name="Architecture">The network.</param>
/// <param name="Activation">The activation.</param>
/// <param name="Options">How to train it.</param>
public sealed record PlannedCell(string Experiment, string Dataset, NetworkArchitecture Architecture, ActivationFunction Activation, TrainingOptions Options)
{
    /// <summary>The file name of the cell's result, without extension.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{Experiment}-{Dataset}-{Architecture.Name}-{Activation.Id}-seed{Options.Seed}-epochs{Options.Epochs}-lr{Options.LearningRate}");
}
