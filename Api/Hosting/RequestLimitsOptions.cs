using System.ComponentModel.DataAnnotations;

namespace Api.Hosting;

/// <summary>
/// Limits on a request's line and headers, answered with 414 and 431 ProblemDetails; bound from the
/// <c>RequestLimits</c> configuration section. The defaults are Kestrel's own.
/// </summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RequestLimits";

    /// <summary>
    /// Kestrel's limits are set this many times above the API's: a request over the API's limit but within Kestrel's
    /// reaches the API and gets a ProblemDetails; Kestrel answers a larger one itself, with an empty body.
    /// </summary>
    public const int ServerHeadroom = 4;

    /// <summary>The longest request line (method, target with its query, protocol), in bytes. Default 8 KiB; a longer one gets 414.</summary>
    [Range(256, 1 << 20, ErrorMessage = "RequestLimits:MaxRequestLineBytes must be between 256 and 1 MiB.")]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>The largest header section (every name and value), in bytes. Default 32 KiB; a larger one gets 431.</summary>
    [Range(1024, 4 << 20, ErrorMessage = "RequestLimits:MaxRequestHeadersBytes must be between 1 KiB and 4 MiB.")]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>The most header fields a request may have. Default 100; more get 431.</summary>
    [Range(16, 10_000, ErrorMessage = "RequestLimits:MaxRequestHeaderCount must be between 16 and 10000.")]
    public int MaxRequestHeaderCount { get; set; } = 100;
}
