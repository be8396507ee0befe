using System.Net;
using System.Net.Http.Headers;

namespace Tests.Api;

/// <summary>A body sent chunked: no Content-Length, so only reading it reveals its size.</summary>
internal sealed class UnknownLengthContent : HttpContent
{
    private readonly long length;

    public UnknownLengthContent(long length, string mediaType)
    {
        this.length = length;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        byte[] chunk = new byte[64 * 1024];
        for (long written = 0; written < length; written += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - written)));
        }
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = 0;
        return false;
    }
}
