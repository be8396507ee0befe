using Contracts;

namespace Engine.Inference;

/// <summary>One model of the models folder and its state.</summary>
/// <param name="Name">The model's name: its card's, or the file's stem when there is no readable card.</param>
/// <param name="State">Whether it serves.</param>
/// <param name="Reason">Why it does not serve, in words that name files relative to the models folder; null when ready.</param>
/// <param name="Card">Its card, when one could be read.</param>
/// <param name="Model">The serving model; set exactly when <paramref name="State"/> is <see cref="ModelState.Ready"/>.</param>
/// <param name="Attempts">Failed load attempts so far.</param>
public sealed record ModelEntry(string Name, ModelState State, string? Reason, ModelCard? Card, DigitModel? Model, int Attempts = 0);
