using System.ComponentModel.DataAnnotations;

namespace Api.Hosting;

/// <summary>Limits on classification requests; bound from the <c>Classification</c> configuration section.</summary>
public sealed class ClassificationOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Classification";

    /// <summary>The largest request body, in bytes, multipart framing included. Default 5 MiB.</summary>
    [Range(1, 1L << 30, ErrorMessage = "Classification:MaxRequestBytes must be between 1 and 1 GiB.")]
    public long MaxRequestBytes { get; set; } = 5L * 1024 * 1024;

    /// <summary>
    /// The largest width × height an image header may declare; checked before any pixel is decoded.
    /// Default 16,777,216 (4096 × 4096).
    /// </summary>
    [Range(1, long.MaxValue, ErrorMessage = "Classification:MaxPixels must be at least 1.")]
    public long MaxPixels { get; set; } = 4096L * 4096L;

    /// <summary>The most images one POST /v1/classify/batch may carry. Default 32.</summary>
    [Range(1, 1024, ErrorMessage = "Classification:MaxBatchImages must be between 1 and 1024.")]
    public int MaxBatchImages { get; set; } = 32;

    /// <summary>
    /// The longest side an image header may declare, in pixels; checked before decoding. Default 8192.
    /// Decoders work per row, so a 1 × 8,000,000 image costs far more than its pixel count suggests.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Classification:MaxSide must be at least 1.")]
    public int MaxSide { get; set; } = 8192;

    /// <summary>
    /// How long decoding one image may take (a <c>TimeSpan</c>, e.g. <c>00:00:02</c>); over it the request
    /// gets 422 <c>image-decode-timeout</c>. Default 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00",
        ErrorMessage = "Classification:DecodeTimeout must be between 00:00:00.001 and 00:10:00.")]
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
