using System.Text.Json;

namespace Tests.Api;

/// <summary>Asserts that a response is an RFC 9457 problem of a given status and type.</summary>
internal static class ProblemAssert
{
    public const string TypePrefix = "urn:digits:problem:";

    /// <summary>Checks status, content type, <c>type</c>, <c>title</c> and <c>status</c>; returns the <c>detail</c>.</summary>
    public static async Task<string> IsProblemAsync(HttpResponseMessage response, int status, string slug)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        Assert.Equal(TypePrefix + slug, root.GetProperty("type").GetString());
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        string? detail = root.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }
}
