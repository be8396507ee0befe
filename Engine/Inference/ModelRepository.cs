using Contracts;
using Microsoft.Extensions.Logging;

namespace Engine.Inference;

/// <summary>
/// Loads the models of a folder, one at a time, so that one bad model never stops the others. Two layouts:
/// a card <c>NAME.json</c> beside the ONNX file it names (version 1), or, as Triton's repositories,
/// <c>NAME/VERSION/</c> folders each holding one card and its ONNX file.
/// </summary>
/// <remarks>
/// <see cref="Refresh"/> builds a new snapshot from the previous one: a serving model whose files are unchanged
/// is kept; one whose files changed is loaded again and replaces it only if the new copy passes its checks
/// (otherwise the old one keeps serving and its entry says why); failed models are tried again; models whose
/// files are gone are left out. The caller publishes the snapshot and retires the models it no longer holds.
/// </remarks>
public sealed partial class ModelRepository(InferenceOptions options, BatchingOptions batching, InferenceBackendFactory backends, ILogger logger)
{
    /// <summary>The version of a model whose card lies at the top of the folder.</summary>
    public const string DefaultVersion = "1";

    private const string CardPattern = "*.json";
    private const string OnnxPattern = "*.onnx";

    /// <summary>A new snapshot of the folder; see the remarks on the class.</summary>
    /// <param name="previous">The snapshot now serving.</param>
    /// <param name="unloaded">Names an operator unloaded: they are reported, not loaded.</param>
    /// <param name="reload">A name to load again even if its files did not change; null for none.</param>
    public ModelCatalog Refresh(ModelCatalog previous, IReadOnlySet<string> unloaded, string? reload = null)
    {
        string directory = options.ModelsDirectory;
        if (!Directory.Exists(directory))
        {
            LogFolderMissing(logger, Path.GetFullPath(directory));
            return new ModelCatalog([], $"the models folder '{Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))}' does not exist.");
        }

        var entries = new List<ModelEntry>();
        foreach (Candidate candidate in FindCandidates(directory))
        {
            ModelEntry? before = previous.TryGetEntry(candidate.Name, candidate.Version, out ModelEntry? known) ? known : null;
            if (unloaded.Contains(candidate.Name))
            {
                entries.Add(new ModelEntry(candidate.Name, candidate.Version, ModelState.Unloaded, "unloaded by an operator", before?.Card, null));
                continue;
            }
            if (candidate.Problem is { } problem)
            {
                entries.Add(Failed(before, candidate, null, problem));
                continue;
            }
            bool forced = string.Equals(reload, candidate.Name, StringComparison.OrdinalIgnoreCase);
            if (before?.Model is not null && before.Fingerprint == candidate.Fingerprint && !forced)
            {
                entries.Add(before);
                continue;
            }
            entries.Add(Load(before, candidate));
        }
        return new ModelCatalog(entries);
    }

    // Every card of the folder (and every ONNX file no card names), in both layouts.
    private IEnumerable<Candidate> FindCandidates(string directory)
    {
        var candidates = new List<Candidate>();
        candidates.AddRange(FindInFolder(directory, versionedName: null, DefaultVersion));
        foreach (string modelFolder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(modelFolder);
            foreach (string versionFolder in Directory.EnumerateDirectories(modelFolder).Order(StringComparer.Ordinal))
            {
                string version = Path.GetFileName(versionFolder);
                if (version.Length > 0 && version.All(char.IsAsciiDigit))
                {
                    candidates.AddRange(FindInFolder(versionFolder, name, version));
                }
            }
        }
        return candidates;
    }

    private List<Candidate> FindInFolder(string folder, string? versionedName, string version)
    {
        string shown = versionedName is null ? "" : $"{versionedName}/{version}/";
        var found = new List<Candidate>();
        var cardedOnnxFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (string cardPath in Directory.EnumerateFiles(folder, CardPattern).Order(StringComparer.Ordinal))
        {
            string cardFile = shown + Path.GetFileName(cardPath);
            string fallbackName = versionedName ?? Path.GetFileNameWithoutExtension(cardPath);
            ModelCard card;
            try
            {
                card = ModelCardFile.Read(cardPath);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                found.Add(Candidate.Broken(fallbackName, version, $"The model card '{cardFile}' cannot be read: {Describe(exception)}"));
                continue;
            }
            cardedOnnxFiles.Add(card.OnnxFile);
            string onnxFile = shown + card.OnnxFile;
            string onnxPath = Path.Combine(folder, card.OnnxFile);
            string? problem =
                versionedName is not null && !string.Equals(card.Name, versionedName, StringComparison.Ordinal)
                    ? $"The model card '{cardFile}' names the model '{card.Name}', not '{versionedName}' as its folder does."
                : Path.GetFileName(card.OnnxFile) != card.OnnxFile
                    ? $"The model card '{cardFile}' names '{card.OnnxFile}', which is not a file name in its folder."
                : Directory.Exists(onnxPath)
                    ? $"'{onnxFile}' cannot be read: it is a folder, not a file."
                : !File.Exists(onnxPath)
                    ? $"The model card '{cardFile}' names '{card.OnnxFile}', which does not exist."
                : null;
            found.Add(new Candidate(card.Name, version, card, cardFile, onnxFile, onnxPath, Fingerprint(cardPath, onnxPath), problem));
        }
        foreach (string onnxPath in Directory.EnumerateFiles(folder, OnnxPattern).Order(StringComparer.Ordinal))
        {
            string onnx = Path.GetFileName(onnxPath);
            string name = versionedName ?? Path.GetFileNameWithoutExtension(onnxPath);
            if (!cardedOnnxFiles.Contains(onnx) && !found.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(Candidate.Broken(name, version, $"'{shown}{onnx}' has no model card: no '*.json' beside it names it."));
            }
        }
        return found;
    }

    private ModelEntry Load(ModelEntry? before, Candidate candidate)
    {
        IInferenceBackend backend;
        try
        {
            byte[] onnx = File.ReadAllBytes(candidate.OnnxPath!);
            backend = backends.Create(candidate.Card!, onnx);
        }
        catch (Exception exception) when (exception is ModelLoadException or IOException or UnauthorizedAccessException)
        {
            string reason = exception is ModelLoadException ? exception.Message : $"'{candidate.OnnxFile}' cannot be read: {Describe(exception)}";
            return Failed(before, candidate, candidate.Card, reason);
        }

        ModelCard card = candidate.Card!;
        var model = new DigitModel(card, backend, batching, candidate.Version);
        if (before?.Model is not null)
        {
            LogReplaced(logger, card.Name, candidate.Version, backend.Name, backend.Device);
        }
        else if (before?.State == ModelState.Failed)
        {
            LogRecovered(logger, card.Name, candidate.Version, before.Attempts, backend.Name, backend.Device);
        }
        else
        {
            LogLoaded(logger, card.Name, candidate.Version, card.Activation, card.ValidationAccuracy, backend.Name, backend.Device);
        }
        return new ModelEntry(card.Name, candidate.Version, ModelState.Ready, null, card, model, 0, candidate.Fingerprint);
    }

    // A failure is logged when it first happens or its reason changes, not on every retry. A model that
    // serves keeps serving when a new copy of its files fails; its entry says why the copy was not taken.
    private ModelEntry Failed(ModelEntry? before, Candidate candidate, ModelCard? card, string reason)
    {
        if (before?.Model is not null)
        {
            string kept = $"The files changed but the new copy does not load, so the previous one still serves: {reason}";
            if (before.Reason != kept)
            {
                LogReplacementFailed(logger, candidate.Name, candidate.Version, reason);
            }
            return before with { Reason = kept, Attempts = before.Attempts + 1 };
        }
        int attempts = before?.State == ModelState.Failed ? before.Attempts + 1 : 1;
        if (before?.State != ModelState.Failed || before.Reason != reason)
        {
            LogFailed(logger, candidate.Name, candidate.Version, reason);
        }
        return new ModelEntry(candidate.Name, candidate.Version, ModelState.Failed, reason, card ?? before?.Card, null, attempts, candidate.Fingerprint);
    }

    private static string? Fingerprint(string cardPath, string onnxPath)
    {
        var card = new FileInfo(cardPath);
        var onnx = new FileInfo(onnxPath);
        return onnx.Exists ? $"{card.Length}:{card.LastWriteTimeUtc.Ticks}:{onnx.Length}:{onnx.LastWriteTimeUtc.Ticks}" : null;
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

    /// <summary>A card found in the folder (or an ONNX file without one), before loading.</summary>
    private sealed record Candidate(
        string Name, string Version, ModelCard? Card, string? CardFile, string? OnnxFile, string? OnnxPath, string? Fingerprint, string? Problem)
    {
        public static Candidate Broken(string name, string version, string problem) => new(name, version, null, null, null, null, null, problem);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} ({Activation}, validation accuracy {Accuracy:P2}) serves on {Backend} ({Device})")]
    private static partial void LogLoaded(ILogger logger, string model, string version, string activation, double accuracy, string backend, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} recovered after {Attempts} failed attempts and serves on {Backend} ({Device})")]
    private static partial void LogRecovered(ILogger logger, string model, string version, int attempts, string backend, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} was replaced by a new copy of its files, serving on {Backend} ({Device})")]
    private static partial void LogReplaced(ILogger logger, string model, string version, string backend, string device);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version}: a new copy of its files does not load, the previous one still serves: {Reason}")]
    private static partial void LogReplacementFailed(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} does not serve: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The models folder {Directory} does not exist")]
    private static partial void LogFolderMissing(ILogger logger, string directory);
}
