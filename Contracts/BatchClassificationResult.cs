namespace Contracts;

/// <summary>The answers for a batch of images, in the order of the form's <c>image</c> parts.</summary>
/// <param name="Model">The model that classified them.</param>
/// <param name="Succeeded">How many images were classified.</param>
/// <param name="Failed">How many got a problem.</param>
/// <param name="Items">One answer per image.</param>
public sealed record BatchClassificationResult(string Model, int Succeeded, int Failed, IReadOnlyList<BatchItemResult> Items);
