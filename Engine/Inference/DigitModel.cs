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

    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int users;
    private int retired;

    /// <summary>Starts serving <paramref name="backend"/> behind a batcher configured by <paramref name="batching"/>.</summary>
    public DigitModel(ModelCard card, IInferenceBackend backend, BatchingOptions batching, string version = ModelRepository.DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(backend);
        Card = card;
        Version = version;
        Backend = backend;
        Batcher = new DynamicBatcher(backend, batching, card.Name);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>The model's name.</summary>
    public string Name => Card.Name;

    /// <summary>The model's version in the models folder.</summary>
    public string Version { get; }

    /// <summary>What runs the network.</summary>
    public IInferenceBackend Backend { get; }

    /// <summary>The queue every request for this model goes through.</summary>
    public DynamicBatcher Batcher { get; }

    /// <summary>Classifies one image through the batcher; see <see cref="DynamicBatcher.ClassifyAsync"/>.</summary>
    public Task<InferenceStatus> ClassifyAsync(ReadOnlyMemory<float> image, Memory<float> probabilities, CancellationToken cancellationToken) =>
        Batcher.ClassifyAsync(image, probabilities, cancellationToken);

    /// <summary>
    /// Takes a use of the model for one request, so that it is not disposed before <see cref="Release"/>; false once
    /// it has been retired (a newer copy serves: look the name up again).
    /// </summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref users);
        if (Volatile.Read(ref retired) == 0)
        {
            return true;
        }
        Release();
        return false;
    }

    /// <summary>Ends a use taken by <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref users) == 0 && Volatile.Read(ref retired) == 1)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Takes the model out of service: no new use is granted, the requests using it finish on it, then it is
    /// disposed. Completes when it is.
    /// </summary>
    public async Task RetireAsync()
    {
        if (Interlocked.Exchange(ref retired, 1) == 1)
        {
            await drained.Task;
            return;
        }
        if (Volatile.Read(ref users) == 0)
        {
            drained.TrySetResult();
        }
        await drained.Task;
        await DisposeAsync();
    }

    /// <summary>Stops the batcher (queued requests are answered <see cref="InferenceStatus.Stopped"/>), then releases the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        await Batcher.DisposeAsync();
        Backend.Dispose();
    }
}
