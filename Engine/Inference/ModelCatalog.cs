using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Inference;

/// <summary>
/// Every model in a folder, loaded once: each <c>*.json</c> model card names its ONNX file. Lookups are
/// by model name or by activation, where the activation's <see cref="ServedArchitecture"/> model answers
/// (its most accurate one, or the most accurate of any architecture if it has none).
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly Dictionary<string, DigitModel> byName;
    private readonly Dictionary<string, DigitModel> byActivation;

    private ModelCatalog(IReadOnlyList<DigitModel> models, string device)
    {
        Models = models.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        Device = device;
        byName = Models.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        byActivation = Models
            .GroupBy(m => m.Card.Activation, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, Preferred, StringComparer.OrdinalIgnoreCase);
        Default = Preferred(Models);
    }

    /// <summary>The models, ordered by name.</summary>
    public IReadOnlyList<DigitModel> Models { get; }

    /// <summary>The architecture that answers when a request names an activation but no model.</summary>
    public const string ServedArchitecture = "enhanced";

    /// <summary>The most accurate <see cref="ServedArchitecture"/> model: it answers when no activation or model is asked for.</summary>
    public DigitModel Default { get; }

    /// <summary>The device the models actually run on.</summary>
    public string Device { get; }

    /// <summary>Loads every model card in <paramref name="directory"/> and its ONNX file.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no model, or a card is unreadable or names a missing file.</exception>
    public static ModelCatalog Load(string directory, InferenceOptions options, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The models folder '{Path.GetFullPath(directory)}' does not exist.");
        }

        using SessionOptions sessionOptions = InferenceDevice.CreateSessionOptions(options.Device, options.IntraOpThreads, logger, out string device);
        var models = new List<DigitModel>();
        try
        {
            foreach (string cardPath in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                ModelCard card = ModelCardFile.Read(cardPath);
                string onnxPath = Path.Combine(directory, card.OnnxFile);
                if (!File.Exists(onnxPath))
                {
                    throw new InvalidDataException($"The model card '{cardPath}' names '{card.OnnxFile}', which does not exist.");
                }
                models.Add(DigitModel.Load(onnxPath, card, sessionOptions, device));
                logger.LogInformation("Loaded model {Model} ({Activation}, test accuracy {Accuracy:P2}) on {Device}",
                    card.Name, card.Activation, card.TestAccuracy, device);
            }
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }

        if (models.Count == 0)
        {
            throw new InvalidDataException($"The models folder '{Path.GetFullPath(directory)}' holds no model card (*.json).");
        }
        return new ModelCatalog(models, device);
    }

    /// <summary>Finds a model by its name (case-insensitive).</summary>
    public bool TryGetByName(string name, [NotNullWhen(true)] out DigitModel? model) => byName.TryGetValue(name, out model);

    /// <summary>Finds the model that serves an activation (case-insensitive id): its most accurate <see cref="ServedArchitecture"/> model.</summary>
    public bool TryGetByActivation(string activation, [NotNullWhen(true)] out DigitModel? model) =>
        byActivation.TryGetValue(activation, out model);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (DigitModel model in Models)
        {
            model.Dispose();
        }
    }

    // The served architecture first, then the most accurate; ties go to the first by name, so the choice does
    // not depend on file order.
    private static DigitModel Preferred(IEnumerable<DigitModel> models) => models
        .OrderByDescending(m => string.Equals(m.Card.Architecture, ServedArchitecture, StringComparison.Ordinal))
        .ThenByDescending(m => m.Card.TestAccuracy)
        .ThenBy(m => m.Name, StringComparer.Ordinal)
        .First();
}
