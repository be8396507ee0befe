using Onnx;

namespace Training.Onnx;

/// <summary>
/// A node attribute of one of the kinds the exporter needs: a float, an integer or a list of
/// integers. Create one with <see cref="Float"/>, <see cref="Int"/> or <see cref="Ints"/>.
/// </summary>
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute name, as the operator's schema spells it (e.g. <c>kernel_shape</c>).</summary>
    public string Name => _proto.Name;

    /// <summary>Creates a float attribute (ONNX <c>FLOAT</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static OnnxAttribute Float(string name, float value)
    {
        AttributeProto proto = Named(name, AttributeProto.Types.AttributeType.Float);
        proto.F = value;
        return new(proto);
    }

    /// <summary>Creates an integer attribute (ONNX <c>INT</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static OnnxAttribute Int(string name, long value)
    {
        AttributeProto proto = Named(name, AttributeProto.Types.AttributeType.Int);
        proto.I = value;
        return new(proto);
    }

    /// <summary>Creates an integer-list attribute (ONNX <c>INTS</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values; copied, so later changes to the array do not leak in.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        AttributeProto proto = Named(name, AttributeProto.Types.AttributeType.Ints);
        proto.Ints.AddRange(values);
        return new(proto);
    }

    private static AttributeProto Named(string name, AttributeProto.Types.AttributeType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new AttributeProto { Name = name, Type = type };
    }

    /// <summary>A copy of the attribute as a protobuf message, for a node to own.</summary>
    internal AttributeProto ToProto() => _proto.Clone();
}
