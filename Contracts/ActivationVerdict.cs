namespace Contracts;

/// <summary>What one activation's model made of the image, in a comparison.</summary>
/// <param name="Activation">The activation function's id.</param>
/// <param name="Digit">The most probable digit, 0–9.</param>
/// <param name="Confidence">The probability of <paramref name="Digit"/>.</param>
/// <param name="Probabilities">The probability of each digit 0–9.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Backend">What ran it.</param>
/// <param name="AgreesWithMajority">Whether <paramref name="Digit"/> is the digit most models chose.</param>
/// <param name="InferenceMilliseconds">From queueing the image to this model's answer.</param>
public sealed record ActivationVerdict(
    string Activation,
    int Digit,
    float Confidence,
    IReadOnlyList<float> Probabilities,
    string Model,
    string Backend,
    bool AgreesWithMajority,
    double InferenceMilliseconds);
