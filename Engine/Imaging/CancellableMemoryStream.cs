namespace Engine.Imaging;

/// <summary>
/// A read-only stream over pinned memory that checks a cancellation token on every read, so decoders that
/// never look at a token themselves still stop within one read (ImageSharp reads about 8 KB at a time).
/// </summary>
internal sealed unsafe class CancellableMemoryStream(byte* pointer, int length, CancellationToken cancellationToken)
    : UnmanagedMemoryStream(pointer, length)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return base.Read(buffer);
    }

    public override int ReadByte()
    {
        cancellationToken.ThrowIfCancellationRequested();
        return base.ReadByte();
    }
}
