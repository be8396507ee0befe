namespace Engine.Onnx;

/// <summary>An activation's form found in a graph.</summary>
/// <param name="Nodes">The graph's nodes, in the order of the form's.</param>
/// <param name="Output">The value the activation writes.</param>
/// <param name="Slopes">Each unit's learned slope, for a form that reads one; null otherwise.</param>
internal sealed record OnnxActivationMatch(IReadOnlyList<int> Nodes, string Output, float[]? Slopes);
