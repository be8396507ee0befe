namespace Contracts.InferenceProtocol;

/// <summary>An input or output tensor of a model (<c>$metadata_tensor</c>).</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Datatype">The element type, e.g. <c>FP32</c>, <c>INT64</c> or <c>BYTES</c>.</param>
/// <param name="Shape">The shape; -1 marks a variable-size dimension (the batch).</param>
public sealed record MetadataTensor(string Name, string Datatype, IReadOnlyList<long> Shape);
