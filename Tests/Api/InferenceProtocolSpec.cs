using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tests.Api;

/// <summary>
/// The Open Inference Protocol's own OpenAPI document (<c>shared/specs/open_inference_rest.yaml</c>) and a
/// validator of response bodies against its component schemas.
/// </summary>
/// <remarks>
/// The document sits in a <c>shared/specs</c> folder beside the repository or one of its parents: CI clones the
/// repository next to a copy of <c>shared/</c>, and a working copy may be nested a level deeper.
/// </remarks>
internal static class InferenceProtocolSpec
{
    public const string FileName = "open_inference_rest.yaml";

    private static readonly Lazy<string> SpecPath = new(FindSpec);
    private static readonly Lazy<JsonObject> Schemas = new(LoadSchemas);
    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new();

    /// <summary>Where the specification was found.</summary>
    public static string Path => SpecPath.Value;

    /// <summary>The names of the document's component schemas.</summary>
    public static IReadOnlyCollection<string> SchemaNames => Schemas.Value.Select(p => p.Key).ToArray();

    /// <summary>Evaluates <paramref name="body"/> against the component schema <paramref name="schemaName"/>.</summary>
    public static EvaluationResults Evaluate(JsonElement body, string schemaName) =>
        Built.GetOrAdd(schemaName, Build).Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });

    /// <summary>Fails unless <paramref name="body"/> is valid against the component schema <paramref name="schemaName"/>.</summary>
    public static void AssertValid(string body, string schemaName)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        EvaluationResults results = Evaluate(document.RootElement, schemaName);
        Assert.True(results.IsValid, $"The body does not match the specification's '{schemaName}': {Describe(results)}\nBody: {Truncate(body)}");
    }

    private static JsonSchema Build(string schemaName)
    {
        if (!Schemas.Value.ContainsKey(schemaName))
        {
            Assert.Fail($"{FileName} has no component schema '{schemaName}'. It has: {string.Join(", ", SchemaNames)}.");
        }
        // The component schemas as the definitions of one JSON Schema document whose root refers to the one wanted.
        // OpenAPI's "#/components/schemas/x" references become "#/$defs/x"; the schemas themselves are unchanged.
        string definitions = Schemas.Value.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$ref"] = "#/$defs/" + schemaName,
            ["$defs"] = JsonNode.Parse(definitions),
        };
        return JsonSchema.FromText(document.ToJsonString(), baseUri: new Uri($"https://digits.test/open-inference-protocol/{schemaName}/{Guid.NewGuid():N}"));
    }

    private static JsonObject LoadSchemas()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path))
        {
            yaml.Load(reader);
        }
        JsonNode? document = ToJson(yaml.Documents[0].RootNode);
        return document?["components"]?["schemas"] as JsonObject
               ?? throw new InvalidDataException($"'{Path}' has no components/schemas.");
    }

    // YAML to JSON: plain scalars that read as booleans or numbers become those, quoted ones stay strings.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "true" or "True" => JsonValue.Create(true),
            "false" or "False" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer) => JsonValue.Create(integer),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) => JsonValue.Create(number),
            _ => JsonValue.Create(value),
        };
    }

    private static string FindSpec()
    {
        var tried = new List<string>();
        for (DirectoryInfo? directory = new(RepositoryFiles.Root); directory is not null; directory = directory.Parent)
        {
            string candidate = System.IO.Path.Combine(directory.FullName, "shared", "specs", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
            tried.Add(candidate);
        }
        Assert.Fail($"The Open Inference Protocol specification {FileName} was not found. Looked at: {string.Join(", ", tried)}. " +
                    "Put a copy of shared/ (with specs/) beside the repository.");
        return null!;
    }

    private static string Describe(EvaluationResults results) => string.Join("; ",
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));

    private static string Truncate(string body) => body.Length <= 2000 ? body : body[..2000] + "…";
}
