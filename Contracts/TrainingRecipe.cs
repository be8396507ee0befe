namespace Contracts;

/// <summary>
/// Everything that decides a model's weights, given the code: enough to train the same model again
/// (<c>Trainer verify</c> does). The code's version is recorded beside it on the card, not in it.
/// </summary>
/// <param name="Architecture">The network, e.g. <c>enhanced</c>.</param>
/// <param name="Activation">The activation function's id, e.g. <c>relu_softsign</c>.</param>
/// <param name="Options">Every training option.</param>
/// <param name="DataFiles">The SHA-256 of each IDX file the digits came from.</param>
/// <param name="Split">How those digits were divided into training, validation and test.</param>
public sealed record TrainingRecipe(
    string Architecture,
    string Activation,
    TrainingSettings Options,
    IReadOnlyList<DataFileChecksum> DataFiles,
    DatasetSplit Split);
