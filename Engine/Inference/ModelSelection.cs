namespace Engine.Inference;

/// <summary>The model chosen for a request, or why none could be.</summary>
/// <param name="Model">The chosen model; null exactly when <paramref name="Error"/> is not <see cref="ModelSelectionError.None"/>.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Detail">The reason, in words for the client.</param>
public readonly record struct ModelSelection(DigitModel? Model, ModelSelectionError Error, string? Detail)
{
    /// <summary>A successful choice.</summary>
    public static ModelSelection Of(DigitModel model) => new(model, ModelSelectionError.None, null);

    /// <summary>A failed choice.</summary>
    public static ModelSelection Fail(ModelSelectionError error, string detail) => new(null, error, detail);
}
