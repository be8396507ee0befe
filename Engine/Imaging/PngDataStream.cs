using System.Buffers.Binary;

namespace Engine.Imaging;

/// <summary>
/// The data of consecutive <c>IDAT</c> chunks of a validated PNG, read in order as one stream, checking a
/// <see cref="DecodeBudget"/> on every read.
/// </summary>
internal sealed unsafe class PngDataStream : Stream
{
    private const uint Idat = 0x49444154;

    private readonly byte* png;
    private readonly int length;
    private readonly DecodeBudget budget;
    private int chunk;
    private int position;
    private int remaining;

    /// <param name="png">The pinned PNG, already validated by <see cref="PngValidator"/>.</param>
    /// <param name="length">Its length.</param>
    /// <param name="firstDataChunk">The offset of the first <c>IDAT</c> chunk.</param>
    /// <param name="budget">Checked on every read.</param>
    public PngDataStream(byte* png, int length, int firstDataChunk, DecodeBudget budget)
    {
        this.png = png;
        this.length = length;
        this.budget = budget;
        chunk = firstDataChunk;
        position = firstDataChunk + 8;
        remaining = ChunkLength(firstDataChunk);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        budget.ThrowIfExceeded();
        while (remaining == 0)
        {
            int next = chunk + 12 + ChunkLength(chunk);
            if (next > length - 12 || BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(png + next + 4, 4)) != Idat)
            {
                return 0;
            }

            chunk = next;
            position = next + 8;
            remaining = ChunkLength(next);
        }

        int count = Math.Min(remaining, buffer.Length);
        new ReadOnlySpan<byte>(png + position, count).CopyTo(buffer);
        position += count;
        remaining -= count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int ChunkLength(int offset) => (int)BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(png + offset, 4));
}
