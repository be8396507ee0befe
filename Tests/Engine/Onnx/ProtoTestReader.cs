namespace Tests.Engine.Onnx;

/// <summary>
/// Splits one protobuf message into its top-level fields, independently of the writer under
/// test, so tests can check what a model declares without a protobuf library.
/// </summary>
internal static class ProtoTestReader
{
    public sealed record Field(int Number, int WireType, ulong Varint, byte[] Bytes);

    public static List<Field> ReadFields(byte[] message)
    {
        var fields = new List<Field>();
        int position = 0;
        while (position < message.Length)
        {
            ulong tag = ReadVarint(message, ref position);
            int number = (int)(tag >> 3), wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add(new Field(number, wireType, ReadVarint(message, ref position), []));
                    break;
                case 2:
                    int length = (int)ReadVarint(message, ref position);
                    fields.Add(new Field(number, wireType, 0, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(number, wireType, 0, message[position..(position + 4)]));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type {wireType} for field {number}.");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
