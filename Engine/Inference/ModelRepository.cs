using Contracts;
using Microsoft.Extensions.Logging;

namespace Engine.Inference;

/// <summary>
/// Loads the models of a folder — each <c>NAME.json</c> card with the ONNX file it names — one at a time, so
/// that one bad model never stops the others. A model that fails keeps its reason and is tried again by
/// <see cref="Refresh"/>; one that serves is left as it is.
/// </summary>
public sealed partial class ModelRepository(InferenceOptions options, BatchingOptions batching, InferenceBackendFactory backends, ILogger logger)
{
    private const string CardPattern = "*.json";
    private const string OnnxPattern = "*.onnx";

    /// <summary>The folder's name as logs and reasons show it (never an absolute path in a response).</summary>
    public string Directory => options.ModelsDirectory;

    /// <summary>
    /// A new snapshot of the folder: models that serve in <paramref name="previous"/> are kept as they are, the
    /// others (new, failed) are loaded now; models no longer in the folder are left out (the caller disposes them). Each change of state is logged once.
    /// </summary>
    public ModelCatalog Refresh(ModelCatalog previous)
    {
        string directory = options.ModelsDirectory;
        if (!System.IO.Directory.Exists(directory))
        {
            LogFolderMissing(logger, Path.GetFullPath(directory));
            return new ModelCatalog([], $"the models folder '{Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))}' does not exist.");
        }

        var entries = new List<ModelEntry>();
        var cardedOnnxFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (string cardPath in System.IO.Directory.EnumerateFiles(directory, CardPattern).Order(StringComparer.Ordinal))
        {
            string cardFile = Path.GetFileName(cardPath);
            string fallbackName = Path.GetFileNameWithoutExtension(cardPath);
            ModelCard? card = null;
            try
            {
                card = ModelCardFile.Read(cardPath);
                cardedOnnxFiles.Add(card.OnnxFile);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                entries.Add(Failed(previous, fallbackName, null, $"The model card '{cardFile}' cannot be read: {Describe(exception)}"));
                continue;
            }

            if (previous.TryGetEntry(card.Name, out ModelEntry? known) && known.Model is not null)
            {
                entries.Add(known);
                continue;
            }
            entries.Add(Load(previous, card, cardFile));
        }

        foreach (string onnxPath in System.IO.Directory.EnumerateFiles(directory, OnnxPattern).Order(StringComparer.Ordinal))
        {
            string onnxFile = Path.GetFileName(onnxPath);
            if (!cardedOnnxFiles.Contains(onnxFile))
            {
                string name = Path.GetFileNameWithoutExtension(onnxPath);
                if (!entries.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    entries.Add(Failed(previous, name, null, $"'{onnxFile}' has no model card: no '*.json' in the folder names it."));
                }
            }
        }
        return new ModelCatalog(entries);
    }

    private ModelEntry Load(ModelCatalog previous, ModelCard card, string cardFile)
    {
        string onnxPath = Path.Combine(options.ModelsDirectory, card.OnnxFile);
        if (Path.GetFileName(card.OnnxFile) != card.OnnxFile)
        {
            return Failed(previous, card.Name, card, $"The model card '{cardFile}' names '{card.OnnxFile}', which is not a file name in the models folder.");
        }
        if (System.IO.Directory.Exists(onnxPath))
        {
            return Failed(previous, card.Name, card, $"'{card.OnnxFile}' cannot be read: it is a folder, not a file.");
        }
        if (!File.Exists(onnxPath))
        {
            return Failed(previous, card.Name, card, $"The model card '{cardFile}' names '{card.OnnxFile}', which does not exist.");
        }

        IInferenceBackend backend;
        try
        {
            byte[] onnx = File.ReadAllBytes(onnxPath);
            backend = backends.Create(card, onnx);
        }
        catch (Exception exception) when (exception is ModelLoadException or IOException or UnauthorizedAccessException)
        {
            string reason = exception is ModelLoadException ? exception.Message : $"'{card.OnnxFile}' cannot be read: {Describe(exception)}";
            return Failed(previous, card.Name, card, reason);
        }

        var model = new DigitModel(card, backend, batching);
        if (previous.TryGetEntry(card.Name, out ModelEntry? before) && before.State == ModelState.Failed)
        {
            LogRecovered(logger, card.Name, before.Attempts, backend.Name, backend.Device);
        }
        else
        {
            LogLoaded(logger, card.Name, card.Activation, card.ValidationAccuracy, backend.Name, backend.Device);
        }
        return new ModelEntry(card.Name, ModelState.Ready, null, card, model);
    }

    // A failure is logged when it first happens or its reason changes, not on every retry.
    private ModelEntry Failed(ModelCatalog previous, string name, ModelCard? card, string reason)
    {
        int attempts = 1;
        if (previous.TryGetEntry(name, out ModelEntry? before) && before.State == ModelState.Failed)
        {
            attempts = before.Attempts + 1;
            if (before.Reason == reason)
            {
                return before with { Attempts = attempts, Card = card ?? before.Card };
            }
        }
        LogFailed(logger, name, reason);
        return new ModelEntry(name, ModelState.Failed, reason, card, null, attempts);
    }

    // Exception messages of file APIs carry absolute paths; keep only the kind of failure.
    private static string Describe(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException => "the file does not exist",
        InvalidDataException => StripPaths(exception.Message),
        _ => exception.GetType().Name,
    };

    private static string StripPaths(string message)
    {
        int start = message.IndexOf('\'');
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return start >= 0 && end > start ? message[..start] + $"'{Path.GetFileName(message[(start + 1)..end])}'" + message[(end + 1)..] : message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} ({Activation}, validation accuracy {Accuracy:P2}) serves on {Backend} ({Device})")]
    private static partial void LogLoaded(ILogger logger, string model, string activation, double accuracy, string backend, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} recovered after {Attempts} failed attempts and serves on {Backend} ({Device})")]
    private static partial void LogRecovered(ILogger logger, string model, int attempts, string backend, string device);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} does not serve: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The models folder {Directory} does not exist")]
    private static partial void LogFolderMissing(ILogger logger, string directory);
}
