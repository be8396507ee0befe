namespace Contracts;

/// <summary>One image through every activation's model of an architecture, preprocessed once.</summary>
/// <param name="Architecture">The architecture compared: <c>enhanced</c> or <c>baseline</c>.</param>
/// <param name="MajorityDigit">The digit most models chose (ties: the one with the highest summed confidence).</param>
/// <param name="Agreeing">How many models chose <paramref name="MajorityDigit"/>.</param>
/// <param name="ModelCount">How many models answered.</param>
/// <param name="Results">One verdict per activation, in the service's order of activations.</param>
/// <param name="Image">The 28×28 image the networks saw, row-major, values in [0, 1] (white ink on black).</param>
/// <param name="ElapsedMilliseconds">The whole comparison: decoding, preprocessing and every model.</param>
public sealed record ComparisonResult(
    string Architecture,
    int MajorityDigit,
    int Agreeing,
    int ModelCount,
    IReadOnlyList<ActivationVerdict> Results,
    IReadOnlyList<float> Image,
    double ElapsedMilliseconds);
