namespace Engine.Imaging;

/// <summary>
/// A read-only stream over pinned memory that checks a <see cref="DecodeBudget"/> on every read, so decoders
/// that never look at a token themselves still stop within one read (ImageSharp reads about 8 KB at a time).
/// </summary>
internal sealed unsafe class CancellableMemoryStream(byte* pointer, int length, DecodeBudget budget)
    : UnmanagedMemoryStream(pointer, length)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        budget.ThrowIfExceeded();
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        budget.ThrowIfExceeded();
        return base.Read(buffer);
    }

    public override int ReadByte()
    {
        budget.ThrowIfExceeded();
        return base.ReadByte();
    }
}
