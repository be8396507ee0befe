using Engine.Inference;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// The one place that changes which models serve: every refresh of the models folder (at start, on a file change,
/// on a retry, on an operator's load or unload) runs here, one at a time, and publishes a new snapshot to the
/// <see cref="ModelStore"/>.
/// </summary>
public sealed class ModelRepositoryService : IDisposable
{
    private readonly ModelStore store;
    private readonly InferenceBackendFactory backends;
    private readonly ModelRepository repository;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<string> unloaded = new(StringComparer.OrdinalIgnoreCase);

    public ModelRepositoryService(
        ModelStore store, IOptions<InferenceOptions> inference, IOptions<BatchingOptions> batching, ILogger<ModelRepositoryService> logger)
    {
        this.store = store;
        backends = new InferenceBackendFactory(inference.Value, logger);
        repository = new ModelRepository(inference.Value, batching.Value, backends, logger);
    }

    /// <summary>Reads the folder again and publishes what it holds; <paramref name="reload"/> names a model to load again even if unchanged.</summary>
    public async Task<ModelCatalog> RefreshAsync(string? reload = null, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Loading is synchronous and CPU-bound; keep it off the caller's thread.
            ModelCatalog next = await Task.Run(() => repository.Refresh(store.Catalog, unloaded, reload), cancellationToken);
            await store.PublishAsync(next);
            return next;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Loads (or loads again) every version of <paramref name="name"/> and serves it if it passes its checks.</summary>
    public Task<ModelCatalog> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (unloaded)
        {
            unloaded.Remove(name);
        }
        return RefreshAsync(name, cancellationToken);
    }

    /// <summary>Stops serving <paramref name="name"/> until it is loaded again; requests using it finish first.</summary>
    public Task<ModelCatalog> UnloadAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (unloaded)
        {
            unloaded.Add(name);
        }
        return RefreshAsync(cancellationToken: cancellationToken);
    }

    public void Dispose()
    {
        backends.Dispose();
        gate.Dispose();
    }
}
