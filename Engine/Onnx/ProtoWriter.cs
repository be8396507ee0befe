using System.Buffers.Binary;
using System.Text;

namespace Engine.Onnx;

/// <summary>
/// Minimal protobuf wire-format writer: just the field kinds an ONNX model needs
/// (varints, fixed 32-bit floats, length-delimited strings, bytes and nested messages,
/// packed int64 and float arrays), appended to a growing byte buffer.
/// </summary>
/// <remarks>
/// Nested messages are written into their own writer and copied in afterwards, because a
/// length-delimited field needs its length before its body. Models here are a few hundred
/// kilobytes and three levels deep, so the copies cost less than a two-pass size computation
/// would cost in code.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int VarintWireType = 0;
    private const int Fixed32WireType = 5;
    private const int LengthDelimitedWireType = 2;

    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 64)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes an unsigned varint field (uint32/uint64/enum/bool).</summary>
    public void WriteVarintField(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, VarintWireType);
        WriteVarint(value);
    }

    /// <summary>
    /// Writes an int64/int32 field. Negative values take ten bytes: protobuf sign-extends
    /// int32 to 64 bits too, so both types share this encoding.
    /// </summary>
    public void WriteInt64Field(int fieldNumber, long value) => WriteVarintField(fieldNumber, unchecked((ulong)value));

    /// <summary>Writes a float field as little-endian fixed 32 bits.</summary>
    public void WriteFloatField(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, Fixed32WireType);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(sizeof(float)), value);
    }

    /// <summary>Writes a UTF-8 string field.</summary>
    public void WriteStringField(int fieldNumber, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Writes a bytes field.</summary>
    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>Writes an embedded message whose body has already been encoded.</summary>
    public void WriteMessageField(int fieldNumber, ProtoWriter message) => WriteBytesField(fieldNumber, message.WrittenSpan);

    /// <summary>Writes an embedded message whose body <paramref name="writeBody"/> encodes.</summary>
    public void WriteMessageField(int fieldNumber, Action<ProtoWriter> writeBody)
    {
        var body = new ProtoWriter();
        writeBody(body);
        WriteMessageField(fieldNumber, body);
    }

    /// <summary>
    /// Writes a repeated int64 field in packed form. Nothing is written for an empty span,
    /// since an absent repeated field and an empty one mean the same thing.
    /// </summary>
    public void WritePackedInt64Field(int fieldNumber, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        int byteCount = 0;
        foreach (long value in values)
        {
            byteCount += VarintSize(unchecked((ulong)value));
        }

        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)byteCount);
        foreach (long value in values)
        {
            WriteVarint(unchecked((ulong)value));
        }
    }

    /// <summary>
    /// Writes floats as one length-delimited run of little-endian 32-bit values. That is both
    /// the packed encoding of a repeated float field and the layout ONNX expects in a float
    /// tensor's raw_data bytes, so one method serves both.
    /// </summary>
    public void WritePackedFloatField(int fieldNumber, ReadOnlySpan<float> values)
    {
        int byteCount = checked(values.Length * sizeof(float));
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)byteCount);
        Span<byte> destination = Reserve(byteCount);
        for (int i = 0; i < values.Length; i++)
        {
            // Explicit little-endian writes keep the output identical on big-endian hosts.
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * sizeof(float)), values[i]);
        }
    }

    private void WriteTag(int fieldNumber, int wireType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldNumber, 1);
        WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);
    }

    private void WriteVarint(ulong value)
    {
        Span<byte> destination = Reserve(VarintSize(value));
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i] = (byte)value;
    }

    private static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private Span<byte> Reserve(int count)
    {
        int required = checked(_length + count);
        if (required > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(required, _buffer.Length * 2));
        }

        Span<byte> reserved = _buffer.AsSpan(_length, count);
        _length = required;
        return reserved;
    }
}
