namespace Engine.Onnx;

/// <summary>One node of an activation's ONNX form.</summary>
/// <param name="OpType">The standard operator, e.g. <c>Relu</c>.</param>
/// <param name="Output">The node's output, named within the form; the last node's output is the activation's.</param>
/// <param name="Inputs">The node's inputs in the operator's order (for Add, Mul, Min and Max any order is read back).</param>
internal sealed record OnnxActivationNode(string OpType, string Output, params OnnxOperand[] Inputs)
{
    /// <summary>The node's float attributes; the exporter writes every one of them.</summary>
    public OnnxFloatAttribute[] Attributes { get; init; } = [];
}
