using System.Text.Json;
using System.Text.Json.Serialization;
using Contracts;
using Contracts.InferenceProtocol;

namespace Api.Hosting;

/// <summary>
/// Serialisation code generated at build time for the answers of the classify and inference routes, which are
/// written on every request; other types fall through to the reflection-based resolver.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClassificationResult))]
[JsonSerializable(typeof(ComparisonResult))]
[JsonSerializable(typeof(BatchClassificationResult))]
[JsonSerializable(typeof(InferenceResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
}
