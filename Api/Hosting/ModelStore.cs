using Engine.Inference;

namespace Api.Hosting;

/// <summary>
/// The current <see cref="ModelCatalog"/> snapshot. The host starts serving at once with an empty catalog;
/// <see cref="ModelLoader"/> publishes each new snapshot atomically, so a request sees one consistent set of
/// models from start to end.
/// </summary>
public sealed class ModelStore : IAsyncDisposable
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ModelCatalog catalog = ModelCatalog.Empty;

    /// <summary>Completes when the first loading pass over the models folder has finished, whatever its outcome.</summary>
    public Task Completion => completion.Task;

    /// <summary>Whether the first loading pass has finished.</summary>
    public bool Loaded => completion.Task.IsCompleted;

    /// <summary>The current snapshot: empty until the first loading pass has finished.</summary>
    public ModelCatalog Catalog => catalog;

    /// <summary>
    /// Publishes <paramref name="next"/>, then retires the models that <paramref name="next"/> no longer holds: requests
    /// already using them finish on them, new ones see the new snapshot.
    /// </summary>
    internal async Task PublishAsync(ModelCatalog next)
    {
        ModelCatalog before = Interlocked.Exchange(ref catalog, next);
        completion.TrySetResult();
        await Task.WhenAll(before.ServingModels.Except(next.ServingModels).Select(gone => gone.RetireAsync()));
    }

    /// <summary>Stops every serving model.</summary>
    public async ValueTask DisposeAsync()
    {
        ModelCatalog last = Interlocked.Exchange(ref catalog, ModelCatalog.Empty);
        foreach (DigitModel model in last.ServingModels)
        {
            await model.DisposeAsync();
        }
    }
}
