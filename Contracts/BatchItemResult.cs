namespace Contracts;

/// <summary>The answer for one image of a batch: a classification or a problem, never both.</summary>
/// <param name="Index">The image's position among the form's <c>image</c> parts, from 0.</param>
/// <param name="FileName">The part's file name, if it had one.</param>
/// <param name="Result">The classification, when the image could be classified.</param>
/// <param name="Problem">Why it could not be, otherwise.</param>
public sealed record BatchItemResult(int Index, string? FileName, ClassificationResult? Result, BatchItemProblem? Problem);
