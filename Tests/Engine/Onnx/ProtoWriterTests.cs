using Engine.Onnx;

namespace Tests.Engine.Onnx;

public class ProtoWriterTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x08, 0x00 })]
    [InlineData(1UL, new byte[] { 0x08, 0x01 })]
    [InlineData(127UL, new byte[] { 0x08, 0x7F })]
    [InlineData(128UL, new byte[] { 0x08, 0x80, 0x01 })]
    [InlineData(150UL, new byte[] { 0x08, 0x96, 0x01 })]
    [InlineData(ulong.MaxValue, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void VarintField_UsesSevenBitGroupsLowFirst(ulong value, byte[] expected)
    {
        var writer = new ProtoWriter();
        writer.WriteVarintField(1, value);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void Int64Field_NegativeValueIsTenByteTwosComplement()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64Field(1, -1);
        Assert.Equal(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, writer.ToArray());
    }

    [Fact]
    public void LargeFieldNumber_HasMultiByteTag()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64Field(20, 7);
        // (20 << 3) | 0 = 160 = 0xA0 0x01 as a varint.
        Assert.Equal(new byte[] { 0xA0, 0x01, 0x07 }, writer.ToArray());
    }

    [Fact]
    public void FloatField_IsFixed32LittleEndian()
    {
        var writer = new ProtoWriter();
        writer.WriteFloatField(2, 1.0f);
        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3F }, writer.ToArray());
    }

    [Fact]
    public void StringField_IsLengthPrefixedUtf8()
    {
        var writer = new ProtoWriter();
        writer.WriteStringField(2, "testing");
        writer.WriteStringField(3, "é");
        Assert.Equal(
            new byte[] { 0x12, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g', 0x1A, 0x02, 0xC3, 0xA9 },
            writer.ToArray());
    }

    [Fact]
    public void MessageField_WrapsBodyWithLength()
    {
        var writer = new ProtoWriter();
        writer.WriteMessageField(3, body => body.WriteVarintField(1, 150));
        Assert.Equal(new byte[] { 0x1A, 0x03, 0x08, 0x96, 0x01 }, writer.ToArray());
    }

    [Fact]
    public void PackedInt64Field_PrefixesTotalVarintLength()
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64Field(4, [3, 270, 86942]);
        Assert.Equal(new byte[] { 0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05 }, writer.ToArray());
    }

    [Fact]
    public void PackedInt64Field_EmptyWritesNothing()
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64Field(4, []);
        Assert.Empty(writer.ToArray());
    }

    [Fact]
    public void PackedFloatField_IsLittleEndianRun()
    {
        var writer = new ProtoWriter();
        writer.WritePackedFloatField(9, [1.0f, -2.0f]);
        Assert.Equal(new byte[] { 0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0 }, writer.ToArray());
    }

    [Fact]
    public void Buffer_GrowsPastInitialCapacityWithoutLosingBytes()
    {
        var writer = new ProtoWriter(initialCapacity: 16);
        var payload = new byte[10_000];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)i;
        }

        writer.WriteVarintField(1, 5);
        writer.WriteBytesField(2, payload);
        writer.WriteVarintField(3, 6);

        byte[] written = writer.ToArray();
        // Tag, value, tag, two-byte length (10000 = 0x90 0x4E), payload, tag, value.
        Assert.Equal(2 + 1 + 2 + payload.Length + 2, written.Length);
        Assert.Equal(new byte[] { 0x08, 0x05, 0x12, 0x90, 0x4E }, written[..5]);
        Assert.Equal(payload, written[5..^2]);
        Assert.Equal(new byte[] { 0x18, 0x06 }, written[^2..]);
    }
}
