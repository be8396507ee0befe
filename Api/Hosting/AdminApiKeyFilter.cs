using System.Security.Cryptography;
using System.Text;
using Api.Apis.InferenceProtocol;
using Microsoft.Net.Http.Headers;

namespace Api.Hosting;

/// <summary>
/// Lets a request through only with the admin API key, given as <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>: 401 (with <c>WWW-Authenticate: Bearer</c>) without a key, 403 with a wrong one,
/// both as <c>{"error": "…"}</c>.
/// </summary>
/// <remarks>
/// Keys are compared as SHA-256 hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>: the hashes have a
/// fixed length, so neither the time taken nor an early length check tells a caller how much of a guess was right.
/// </remarks>
public sealed class AdminApiKeyFilter(string apiKey) : IEndpointFilter
{
    /// <summary>The header that carries the key when <c>Authorization</c> does not.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private const string BearerPrefix = "Bearer ";

    private readonly byte[] expected = Hash(apiKey);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? presented = PresentedKey(http.Request);
        if (string.IsNullOrEmpty(presented))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return new ProtocolError(StatusCodes.Status401Unauthorized,
                $"The model repository needs the admin API key: send 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'.").ToResult();
        }
        if (!CryptographicOperations.FixedTimeEquals(Hash(presented), expected))
        {
            return new ProtocolError(StatusCodes.Status403Forbidden, "The API key is not the model repository's admin key.").ToResult();
        }
        return await next(context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[BearerPrefix.Length..].Trim();
        }
        string? apiKey = request.Headers[ApiKeyHeader];
        return apiKey?.Trim();
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
