using Engine.Inference;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// Loads the models in the background, so that the process is live (and can say it is not ready) while the
/// backends are built and checked; then tries the models that failed again with back-off (1 s, doubling, at
/// most <see cref="InferenceOptions.MaxRetryDelaySeconds"/>), so a fixed file serves without a restart.
/// </summary>
public sealed partial class ModelLoader(
    ModelStore store,
    IOptions<InferenceOptions> inferenceOptions,
    IOptions<BatchingOptions> batchingOptions,
    ILogger<ModelLoader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        InferenceOptions inference = inferenceOptions.Value;
        LogLoading(logger, Path.GetFullPath(inference.ModelsDirectory), inference.Backend, inference.Device);
        // Loading is synchronous and CPU-bound; keep it off the thread that starts the host.
        await Task.Yield();
        using var backends = new InferenceBackendFactory(inference, logger);
        var repository = new ModelRepository(inference, batchingOptions.Value, backends, logger);
        TimeSpan delay = TimeSpan.FromSeconds(1);
        TimeSpan maxDelay = TimeSpan.FromSeconds(inference.MaxRetryDelaySeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ModelCatalog next = repository.Refresh(store.Catalog);
                bool first = !store.Loaded;
                await store.PublishAsync(next);
                if (first)
                {
                    LogLoaded(logger, next.Models.Count, next.Entries.Count, next.Default?.Name ?? "none");
                }
                if (next.Entries.Count > 0 && next.Entries.All(e => e.State == ModelState.Ready))
                {
                    return;
                }
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading models from {Directory} on backend {Backend} ({Device})")]
    private static partial void LogLoading(ILogger logger, string directory, string backend, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Serving} of {Found} models serve; default model {Default}")]
    private static partial void LogLoaded(ILogger logger, int serving, int found, string @default);
}
