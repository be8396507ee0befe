using Contracts;

namespace Engine.Inference;

/// <summary>One version of one model of the models folder, and its state.</summary>
/// <param name="Name">The model's name: its folder's, its card's, or the file's stem when there is no readable card.</param>
/// <param name="Version">The version: the number of its folder in the <c>NAME/VERSION/</c> layout, <c>1</c> for a card beside its ONNX file at the top.</param>
/// <param name="State">Whether it serves.</param>
/// <param name="Reason">Why it does not serve, or why a newer copy of its files did not replace it; names files relative to the models folder.</param>
/// <param name="Card">Its card, when one could be read.</param>
/// <param name="Model">The serving model; set exactly when <paramref name="State"/> is <see cref="ModelState.Ready"/>.</param>
/// <param name="Attempts">Failed load attempts so far.</param>
/// <param name="Fingerprint">The sizes and times of the files it was loaded from, to notice when they change.</param>
public sealed record ModelEntry(
    string Name,
    string Version,
    ModelState State,
    string? Reason,
    ModelCard? Card,
    DigitModel? Model,
    int Attempts = 0,
    string? Fingerprint = null);
