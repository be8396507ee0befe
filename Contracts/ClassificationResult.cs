namespace Contracts;

/// <summary>The answer to one classification request.</summary>
/// <param name="Digit">The most probable digit, 0–9.</param>
/// <param name="Confidence">The probability of <paramref name="Digit"/>, in [0, 1].</param>
/// <param name="Probabilities">The softmax probability of each digit 0–9; they sum to 1.</param>
/// <param name="Model">The name of the model that answered.</param>
/// <param name="Activation">The activation function of that model.</param>
/// <param name="Device">The device the model actually ran on: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Backend">What ran it: <c>managed</c> (the service's own network), <c>onnxruntime</c> or <c>onnxruntime-cuda</c>.</param>
/// <param name="ElapsedMilliseconds">Time spent decoding, preprocessing, waiting for a batch and running the model.</param>
public sealed record ClassificationResult(
    int Digit,
    float Confidence,
    IReadOnlyList<float> Probabilities,
    string Model,
    string Activation,
    string Device,
    string Backend,
    double ElapsedMilliseconds);
