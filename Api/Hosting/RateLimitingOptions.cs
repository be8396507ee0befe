using System.ComponentModel.DataAnnotations;

namespace Api.Hosting;

/// <summary>
/// Per-client rate limiting, off by default; bound from the <c>RateLimiting</c> configuration section. Each client
/// has a token bucket of <see cref="Burst"/> requests, refilled with <see cref="PermitsPerSecond"/> every second;
/// a request that finds it empty gets 429 with <c>Retry-After</c>. The health endpoints are never limited.
/// </summary>
public sealed class RateLimitingOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RateLimiting";

    /// <summary>Whether requests are limited at all. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The sustained rate each client may send, in requests per second. Default 10.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:PermitsPerSecond must be between 1 and 1000000.")]
    public int PermitsPerSecond { get; set; } = 10;

    /// <summary>
    /// How many requests a client may send at once after being idle: the bucket's size. 0, the default, means
    /// <see cref="PermitsPerSecond"/>.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "RateLimiting:Burst must be between 0 and 1000000.")]
    public int Burst { get; set; }

    /// <summary>
    /// A request header that names the client, such as one a trusted proxy or gateway sets (<c>X-Client-Id</c>,
    /// <c>X-Forwarded-For</c>). Unset, the default, or absent from a request: the client is its IP address.
    /// A header the client itself controls lets it pick a fresh bucket for every request, so only name one
    /// that something in front of the API overwrites.
    /// </summary>
    [RegularExpression("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", ErrorMessage = "RateLimiting:ClientHeader must be a valid HTTP header name.")]
    public string? ClientHeader { get; set; }

    /// <summary>The bucket's size: <see cref="Burst"/>, or <see cref="PermitsPerSecond"/> when that is 0.</summary>
    public int BucketSize => Burst == 0 ? PermitsPerSecond : Burst;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Burst != 0 && Burst < PermitsPerSecond)
        {
            yield return new ValidationResult(
                $"RateLimiting:Burst ({Burst}) must be 0 or at least RateLimiting:PermitsPerSecond ({PermitsPerSecond}): " +
                "a smaller bucket could never hold a second's permits.",
                [nameof(Burst)]);
        }
    }
}
