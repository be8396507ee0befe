using Engine.Inference;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// Loads the models in the background so that the process is live (and can say it is not ready) while
/// ONNX Runtime builds its sessions.
/// </summary>
public sealed partial class ModelLoader(ModelStore store, IOptions<InferenceOptions> options, ILogger<ModelLoader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        InferenceOptions inference = options.Value;
        LogLoading(logger, Path.GetFullPath(inference.ModelsDirectory), inference.Device);
        try
        {
            // Loading is synchronous and CPU-bound; keep it off the thread that starts the host.
            ModelCatalog catalog = await Task.Run(() => ModelCatalog.Load(inference.ModelsDirectory, inference, logger), stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                catalog.Dispose();
                return;
            }
            store.SetLoaded(catalog);
            LogLoaded(logger, catalog.Models.Count, catalog.Device, catalog.Default.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // The service stays up, not ready, so that /health/ready can say why.
            LogFailed(logger, exception);
            store.SetFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading models from {Directory} for device {Device}")]
    private static partial void LogLoading(ILogger logger, string directory, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} models on {Device}; default model {Default}")]
    private static partial void LogLoaded(ILogger logger, int count, string device, string @default);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the models failed; the service will report not ready")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
