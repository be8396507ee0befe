namespace Contracts;

/// <summary>What a trained model is, how it was made and how well it does: written beside each ONNX file.</summary>
/// <param name="Name">The model's unique name, e.g. <c>baseline-relu_softsign</c>.</param>
/// <param name="Activation">The activation function's id, e.g. <c>relu_softsign</c>.</param>
/// <param name="Architecture">The network, e.g. <c>baseline</c>.</param>
/// <param name="ArchitectureDescription">The layers, in words.</param>
/// <param name="Dataset">Where the training and test digits came from.</param>
/// <param name="Split">How the dataset was divided.</param>
/// <param name="Seed">The seed of weight initialisation, shuffling and noise.</param>
/// <param name="Epochs">The number of epochs trained.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (best validation accuracy).</param>
/// <param name="TestAccuracy">Accuracy on the held-out test digits, in [0, 1].</param>
/// <param name="ValidationAccuracy">Accuracy on the validation digits, in [0, 1].</param>
/// <param name="PerClassAccuracy">Test accuracy of each digit 0–9.</param>
/// <param name="TrainingSeconds">Wall-clock training time.</param>
/// <param name="TrainedAt">When training finished (UTC).</param>
/// <param name="Preprocessing">The input the model expects.</param>
/// <param name="OnnxFile">The ONNX file's name, relative to the card.</param>
/// <param name="Opset">The ONNX operator set version.</param>
/// <param name="Training">The optimiser, schedule and augmentation, in words.</param>
/// <param name="Units">Dead, dormant and collapsed units of every activation layer of the kept weights, on the test images.</param>
/// <param name="UnitHistory">The same at initialisation (epoch 0) and after every epoch.</param>
/// <param name="Recipe">The exact recipe: architecture, activation, every training option, the data's checksums and split.</param>
/// <param name="RecipeSha256">The SHA-256 of <paramref name="Recipe"/> as canonical JSON: equal recipes, equal hashes.</param>
/// <param name="WeightsSha256">The SHA-256 of the trained weights (every parameter's float bits, little-endian, in the network's order).</param>
/// <param name="Code">The commit of the code that trained the model.</param>
/// <param name="Cpu">The vector instructions of the CPU that trained it: results repeat bit for bit only on the same kind.</param>
public sealed record ModelCard(
    string Name,
    string Activation,
    string Architecture,
    string ArchitectureDescription,
    string Dataset,
    DatasetSplit Split,
    int Seed,
    int Epochs,
    int BestEpoch,
    double TestAccuracy,
    double ValidationAccuracy,
    IReadOnlyList<double> PerClassAccuracy,
    double TrainingSeconds,
    DateTimeOffset TrainedAt,
    string Preprocessing,
    string OnnxFile,
    int Opset,
    string? Training = null,
    IReadOnlyList<LayerUnits>? Units = null,
    IReadOnlyList<UnitSnapshot>? UnitHistory = null,
    TrainingRecipe? Recipe = null,
    string? RecipeSha256 = null,
    string? WeightsSha256 = null,
    CodeVersion? Code = null,
    string? Cpu = null);
