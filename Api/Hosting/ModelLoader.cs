using Engine.Inference;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// Loads the models in the background, so that the process is live (and can say it is not ready) while the
/// backends are built and checked; then watches the models folder, so that a new, replaced or removed model is
/// picked up without a restart, and tries models that failed again with back-off (1 s, doubling, at most
/// <see cref="InferenceOptions.MaxRetryDelaySeconds"/>).
/// </summary>
public sealed partial class ModelLoader(
    ModelRepositoryService repository,
    ModelStore store,
    IOptions<InferenceOptions> options,
    ILogger<ModelLoader> logger)
    : BackgroundService
{
    // Files are often written in several steps (card, then model); one refresh after they settle is enough.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        InferenceOptions inference = options.Value;
        LogLoading(logger, Path.GetFullPath(inference.ModelsDirectory), inference.Backend, inference.Device);
        await Task.Yield();

        using var changed = new SemaphoreSlim(0);
        using FileSystemWatcher? watcher = inference.WatchModels ? Watch(inference.ModelsDirectory, changed) : null;
        TimeSpan delay = TimeSpan.FromSeconds(1);
        TimeSpan maxDelay = TimeSpan.FromSeconds(inference.MaxRetryDelaySeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool first = !store.Loaded;
                ModelCatalog catalog = await repository.RefreshAsync(cancellationToken: stoppingToken);
                if (first)
                {
                    LogLoaded(logger, catalog.Models.Count, catalog.Entries.Count, catalog.Default?.Name ?? "none");
                }

                bool retry = catalog.Entries.Count == 0 || catalog.Entries.Any(e => e.State == ModelState.Failed || (e.Model is not null && e.Reason is not null));
                if (!retry && watcher is null)
                {
                    return;
                }
                if (await changed.WaitAsync(retry ? delay : Timeout.InfiniteTimeSpan, stoppingToken))
                {
                    await Task.Delay(Settle, stoppingToken);
                    while (changed.CurrentCount > 0)
                    {
                        await changed.WaitAsync(stoppingToken);
                    }
                    delay = TimeSpan.FromSeconds(1);
                }
                else
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private FileSystemWatcher? Watch(string directory, SemaphoreSlim changed)
    {
        if (!Directory.Exists(directory))
        {
            // Retries notice the folder once it exists; watching starts with the next process.
            return null;
        }
        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler signal = (_, _) => changed.Release();
        watcher.Created += signal;
        watcher.Changed += signal;
        watcher.Deleted += signal;
        watcher.Renamed += (_, _) => changed.Release();
        watcher.Error += (_, args) => { LogWatchError(logger, args.GetException()); changed.Release(); };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading models from {Directory} on backend {Backend} ({Device})")]
    private static partial void LogLoading(ILogger logger, string directory, string backend, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Serving} of {Found} models serve; default model {Default}")]
    private static partial void LogLoaded(ILogger logger, int serving, int found, string @default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the models folder failed; it is read again now")]
    private static partial void LogWatchError(ILogger logger, Exception exception);
}
