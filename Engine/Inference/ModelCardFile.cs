using System.Text.Encodings.Web;
using System.Text.Json;
using Contracts;

namespace Engine.Inference;

/// <summary>Reads and writes model cards as indented camelCase JSON.</summary>
public static class ModelCardFile
{
    /// <summary>The JSON options of model card files.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Cards are read by people: keep ×, → and the like as they are rather than \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads the model card at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a model card.</exception>
    public static ModelCard Read(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ModelCard>(stream, JsonOptions)
                ?? throw new InvalidDataException($"The model card '{path}' is empty.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The model card '{path}' is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>Writes <paramref name="card"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, ModelCard card)
    {
        using FileStream stream = File.Create(path);
        JsonSerializer.Serialize(stream, card, JsonOptions);
    }
}
