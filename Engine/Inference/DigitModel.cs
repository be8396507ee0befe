using Contracts;
using Engine.Imaging;

namespace Engine.Inference;

/// <summary>
/// A model that serves: its card, the backend that runs it and the batcher in front of that backend. Created
/// once the backend has passed its checks; disposed when the model stops serving.
/// </summary>
public sealed class DigitModel : IAsyncDisposable
{
    /// <summary>The side of the square input image.</summary>
    public const int ImageSide = DigitNormalizer.Side;

    /// <summary>Floats per input image.</summary>
    public const int ImageSize = ImageSide * ImageSide;

    /// <summary>The number of classes, the digits 0–9.</summary>
    public const int Classes = Networks.NetworkArchitecture.Classes;

    /// <summary>Starts serving <paramref name="backend"/> behind a batcher configured by <paramref name="batching"/>.</summary>
    public DigitModel(ModelCard card, IInferenceBackend backend, BatchingOptions batching)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(backend);
        Card = card;
        Backend = backend;
        Batcher = new DynamicBatcher(backend, batching, card.Name);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>The model's name.</summary>
    public string Name => Card.Name;

    /// <summary>What runs the network.</summary>
    public IInferenceBackend Backend { get; }

    /// <summary>The queue every request for this model goes through.</summary>
    public DynamicBatcher Batcher { get; }

    /// <summary>Classifies one image through the batcher; see <see cref="DynamicBatcher.ClassifyAsync"/>.</summary>
    public Task<InferenceStatus> ClassifyAsync(ReadOnlyMemory<float> image, Memory<float> probabilities, CancellationToken cancellationToken) =>
        Batcher.ClassifyAsync(image, probabilities, cancellationToken);

    /// <summary>Stops the batcher (queued requests are answered <see cref="InferenceStatus.Stopped"/>), then releases the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        await Batcher.DisposeAsync();
        Backend.Dispose();
    }
}
