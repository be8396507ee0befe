using System.Net;
using System.Text.RegularExpressions;
using Api.Hosting;

namespace Tests.Api;

/// <summary>The security headers on every kind of response, and no <c>Server</c> header on a real socket.</summary>
public sealed partial class SecurityHeadersTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    /// <summary>Asserts the four security headers, as a browser reads them.</summary>
    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        string what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out IEnumerable<string>? sniff), $"No X-Content-Type-Options on {what}");
        Assert.Equal("nosniff", Assert.Single(sniff));
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out IEnumerable<string>? frame), $"No X-Frame-Options on {what}");
        Assert.Equal("DENY", Assert.Single(frame));
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out IEnumerable<string>? referrer), $"No Referrer-Policy on {what}");
        Assert.Equal("no-referrer", Assert.Single(referrer));
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out IEnumerable<string>? csp), $"No Content-Security-Policy on {what}");
        string policy = Assert.Single(csp);
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("img-src 'self' data: blob:", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        bool swaggerUi = response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith(OpenApiExtensions.SwaggerUiPath + "/", StringComparison.Ordinal) == true;
        Assert.Equal(swaggerUi ? SecurityHeaders.SwaggerUiContentSecurityPolicy : SecurityHeaders.ContentSecurityPolicy, policy);
        // Only Swagger UI's styles may be inline; scripts never.
        Assert.Equal(swaggerUi ? 1 : 0, policy.Split(';').Count(directive => directive.Contains("'unsafe-inline'", StringComparison.Ordinal)));
        Assert.DoesNotContain(policy.Split(';'), directive => directive.Contains("'unsafe-inline'", StringComparison.Ordinal) && !directive.Trim().StartsWith("style-src", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/health/live", HttpStatusCode.OK)]
    [InlineData("GET", "/v1/models", HttpStatusCode.OK)]
    [InlineData("GET", "/v1/models/no-such-model", HttpStatusCode.NotFound)]
    [InlineData("GET", "/no/such/path", HttpStatusCode.NotFound)]
    [InlineData("POST", "/health/ready", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/v1/classify", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/swagger/index.html", HttpStatusCode.OK)]
    [InlineData("GET", "/swagger/index.js", HttpStatusCode.OK)]
    [InlineData("GET", "/openapi/v1.json", HttpStatusCode.OK)]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string method, string path, HttpStatusCode expected)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task SwaggerUiPage_HasNoInlineScript_SoThePolicyNeedsNoUnsafeInlineScript()
    {
        HttpClient client = app.CreateClient();

        string html = await client.GetStringAsync("/swagger/index.html");

        MatchCollection scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        foreach (Match script in scripts)
        {
            // Every script is a same-origin file: a relative src, and nothing between the tags.
            Assert.Matches(SameOriginSource(), script.Groups["attributes"].Value);
            Assert.True(string.IsNullOrWhiteSpace(script.Groups["body"].Value), $"Inline script: {script.Value}");
        }
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(EventHandlerAttribute(), html);
    }

    [Fact]
    public async Task OnKestrel_NoServerHeader_AndTheSecurityHeaders()
    {
        await using ApiApplication live = ApiApplication.NeverLoading();
        live.UseKestrel(0);
        live.StartServer();
        HttpClient client = live.CreateClient();

        using HttpResponseMessage ok = await client.GetAsync("/health/live");
        using HttpResponseMessage notFound = await client.GetAsync("/no/such/path");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Empty(ok.Headers.Server);
        Assert.False(ok.Headers.Contains("Server"));
        Assert.False(notFound.Headers.Contains("Server"));
        AssertSecurityHeaders(ok);
        AssertSecurityHeaders(notFound);
    }

    [GeneratedRegex("<script(?<attributes>[^>]*)>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    // A relative URL: no scheme, not protocol-relative.
    [GeneratedRegex("\\ssrc=\"(?![a-z][a-z0-9+.-]*:|//)[^\"]+\"", RegexOptions.IgnoreCase)]
    private static partial Regex SameOriginSource();

    // An event-handler attribute (onload="…"): inline code, which a policy without 'unsafe-inline' blocks.
    [GeneratedRegex("<[a-z]+[^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();
}
