using System.Globalization;

namespace Engine.Onnx;

/// <summary>A float attribute of a node of an activation's ONNX form, such as LeakyRelu's <c>alpha</c>.</summary>
/// <param name="Name">The attribute's name, as the operator's schema spells it.</param>
/// <param name="Value">The value the activation needs; the exporter always writes it.</param>
/// <param name="OperatorDefault">What the operator takes when a graph leaves the attribute out, so an imported graph without it is read right.</param>
internal sealed record OnnxFloatAttribute(string Name, float Value, float OperatorDefault)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} = {Value:R}");
}
