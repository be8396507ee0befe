using System.Diagnostics.CodeAnalysis;
using Api.Errors;
using Engine.Inference;

namespace Api.Hosting;

/// <summary>
/// Holds the model catalog once <see cref="ModelLoader"/> has loaded it. The host starts serving at once;
/// until loading is done, <see cref="Catalog"/> throws and readiness reports unhealthy.
/// </summary>
public sealed class ModelStore : IDisposable
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ModelCatalog? catalog;
    private volatile Exception? failure;

    /// <summary>Completes when loading has finished, successfully or not.</summary>
    public Task Completion => completion.Task;

    /// <summary>The loading failure, if loading failed.</summary>
    public Exception? Failure => failure;

    /// <summary>The loaded catalog.</summary>
    /// <exception cref="ModelsUnavailableException">The models are still loading, or loading failed.</exception>
    public ModelCatalog Catalog => catalog ?? throw Unavailable();

    /// <summary>The loaded catalog, or <see langword="null"/> while none is.</summary>
    public bool TryGetCatalog([NotNullWhen(true)] out ModelCatalog? loaded)
    {
        loaded = catalog;
        return loaded is not null;
    }

    internal void SetLoaded(ModelCatalog loaded)
    {
        catalog = loaded;
        completion.TrySetResult();
    }

    internal void SetFailed(Exception exception)
    {
        failure = exception;
        completion.TrySetResult();
    }

    public void Dispose() => catalog?.Dispose();

    private ModelsUnavailableException Unavailable() => failure is { } loadFailure
        ? new ModelsUnavailableException(false, $"The models could not be loaded: {loadFailure.Message}", loadFailure)
        : new ModelsUnavailableException(true, "The models are loading; retry in a few seconds.");
}
