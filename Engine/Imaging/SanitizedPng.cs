using System.Buffers;

namespace Engine.Imaging;

/// <summary>
/// What <see cref="PngValidator"/> hands on to the decoder: the first <see cref="Length"/> bytes of either the
/// upload itself (<see cref="Rebuilt"/> is null) or of a rebuilt copy rented from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
internal readonly struct SanitizedPng(PngHeader header, byte[]? rebuilt, int length)
{
    public PngHeader Header { get; } = header;

    /// <summary>The copy without dropped chunks, or null when the upload is used as it is. Return it to the pool.</summary>
    public byte[]? Rebuilt { get; } = rebuilt;

    public int Length { get; } = length;
}
