namespace Engine.Inference;

/// <summary>
/// What runs one model's network: created and checked once when the model loads, shared by every request
/// (its <see cref="Classify"/> is thread-safe), disposed when the model stops serving.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary>The backend's name as responses and <c>/v1/models</c> report it: one of <see cref="InferenceBackends"/>.</summary>
    string Name { get; }

    /// <summary>The device it runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    string Device { get; }

    /// <summary>
    /// Classifies a batch: <paramref name="images"/> holds whole 28×28 images one after another, and
    /// <paramref name="probabilities"/> receives the 10 class probabilities of each.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths are not a whole batch or do not match.</exception>
    void Classify(ReadOnlySpan<float> images, Span<float> probabilities);
}
