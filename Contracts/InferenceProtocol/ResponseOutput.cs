namespace Contracts.InferenceProtocol;

/// <summary>One output tensor of an inference response (<c>$response_output</c>).</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Shape">The tensor's shape, the batch dimension first.</param>
/// <param name="Datatype">The element type: <c>FP32</c> or <c>INT64</c>.</param>
/// <param name="Data">The elements, flat, in row-major order.</param>
public sealed record ResponseOutput(string Name, IReadOnlyList<long> Shape, string Datatype, object Data);
