namespace Engine.Onnx;

/// <summary>
/// A node attribute of one of the kinds the exporter needs: a float, an integer or a list of
/// integers. Create one with <see cref="Float"/>, <see cref="Int"/> or <see cref="Ints"/>.
/// </summary>
public sealed class OnnxAttribute
{
    private readonly int _type;
    private readonly float _float;
    private readonly long[] _ints;

    private OnnxAttribute(string name, int type, float floatValue, long[] ints)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _type = type;
        _float = floatValue;
        _ints = ints;
    }

    /// <summary>The attribute name, as the operator's schema spells it (e.g. <c>kernel_shape</c>).</summary>
    public string Name { get; }

    /// <summary>Creates a float attribute (ONNX <c>FLOAT</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static OnnxAttribute Float(string name, float value) =>
        new(name, OnnxProtoFields.Attribute.TypeFloat, value, []);

    /// <summary>Creates an integer attribute (ONNX <c>INT</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static OnnxAttribute Int(string name, long value) =>
        new(name, OnnxProtoFields.Attribute.TypeInt, 0f, [value]);

    /// <summary>Creates an integer-list attribute (ONNX <c>INTS</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values; copied, so later changes to the array do not leak in.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxProtoFields.Attribute.TypeInts, 0f, (long[])values.Clone());
    }

    /// <summary>Encodes this attribute as the body of an AttributeProto.</summary>
    internal void WriteTo(ProtoWriter writer)
    {
        writer.WriteStringField(OnnxProtoFields.Attribute.Name, Name);
        writer.WriteInt64Field(OnnxProtoFields.Attribute.Type, _type);
        switch (_type)
        {
            case OnnxProtoFields.Attribute.TypeFloat:
                writer.WriteFloatField(OnnxProtoFields.Attribute.F, _float);
                break;
            case OnnxProtoFields.Attribute.TypeInt:
                writer.WriteInt64Field(OnnxProtoFields.Attribute.I, _ints[0]);
                break;
            default:
                writer.WritePackedInt64Field(OnnxProtoFields.Attribute.Ints, _ints);
                break;
        }
    }
}
