using System.Globalization;
using System.Net;
using System.Text.Json;
using Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Api;

/// <summary>
/// The statuses the pipeline answers before or after any handler (404, 405, 414, 431, bodiless 4xx, 500): each is a
/// ProblemDetails with a <c>urn:digits:problem:</c> type, in the in-memory server and on a real Kestrel socket.
/// </summary>
public sealed class HttpEdgeErrorTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    private const string BodilessPath = "/test/bodiless/";
    private const string ThrowingPath = "/test/throw";

    // 16 KiB: twice the API's request-line limit, within Kestrel's raised one.
    private static readonly string LongPath = "/v1/models/" + new string('a', 16 * 1024);

    // 40 KiB of one header: over the API's 32 KiB, within Kestrel's raised limit.
    private static readonly string LargeHeaderValue = new('h', 40 * 1024);

    [Fact]
    public async Task UnknownPath_Is404Problem()
    {
        HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/no/such/path?x=1");

        string detail = await ProblemAssert.IsProblemAsync(response, 404, "not-found");
        Assert.Contains("/no/such/path", detail);
    }

    [Theory]
    [InlineData("POST", "/health/ready")]
    [InlineData("DELETE", "/health/ready")]
    [InlineData("TRACE", "/health/ready")]
    [InlineData("PUT", "/health/live")]
    [InlineData("POST", "/health/live")]
    [InlineData("DELETE", "/v1/models")]
    [InlineData("GET", "/v1/classify")]
    public async Task WrongMethod_Is405Problem_WithAllow(string method, string path)
    {
        HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        string detail = await ProblemAssert.IsProblemAsync(response, 405, "method-not-allowed");
        Assert.Contains(method, detail);
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.DoesNotContain(method, response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("GET", "/health/live")]
    [InlineData("HEAD", "/health/live")]
    [InlineData("GET", "/health/ready")]
    [InlineData("HEAD", "/health/ready")]
    public async Task HealthEndpoints_AnswerGetAndHead(string method, string path)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AllowOnlyGetAndHead()
    {
        HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.PostAsync("/health/ready", content: null);

        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/swagger")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    [InlineData(OpenApiExtensions.DocumentPath)]
    public async Task ApiDocumentationOff_Is404Problem(string path)
    {
        using WebApplicationFactory<Program> undocumented = app.WithWebHostBuilder(builder => builder.UseSetting("ApiDocumentation:Enabled", "false"));
        HttpClient client = undocumented.CreateClient();
        HttpClient documented = app.CreateClient();

        using HttpResponseMessage off = await client.GetAsync(path);
        using HttpResponseMessage on = await documented.GetAsync(path);

        await ProblemAssert.IsProblemAsync(off, 404, "not-found");
        Assert.True(on.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently, $"{path} answered {(int)on.StatusCode} with the documentation on");
    }

    [Fact]
    public void ApiDocumentationSwitch_ThatIsNotABoolean_FailsAtStart()
    {
        using WebApplicationFactory<Program> misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("ApiDocumentation:Enabled", "sometimes"));

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => misconfigured.CreateClient());

        Assert.Contains("ApiDocumentation:Enabled", error.Message);
    }

    [Fact]
    public async Task LongUrl_Is414Problem()
    {
        HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(LongPath);

        string detail = await ProblemAssert.IsProblemAsync(response, 414, "uri-too-long");
        Assert.Contains("8,192", detail);
    }

    [Fact]
    public async Task UrlJustWithinTheLimit_IsServed()
    {
        HttpClient client = app.CreateClient();
        // "GET " + target + " HTTP/1.1\r\n" is exactly the limit.
        string path = "/v1/models/";
        path += new string('b', new RequestLimitsOptions().MaxRequestLineBytes - "GET ".Length - path.Length - " HTTP/1.1\r\n".Length);

        using HttpResponseMessage response = await client.GetAsync(path);

        Assert.NotEqual(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Fact]
    public async Task LargeHeader_Is431Problem()
    {
        HttpClient client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Padding", LargeHeaderValue);

        using HttpResponseMessage response = await client.SendAsync(request);

        string detail = await ProblemAssert.IsProblemAsync(response, 431, "headers-too-large");
        Assert.Contains("32,768", detail);
    }

    [Fact]
    public async Task TooManyHeaders_Is431Problem()
    {
        HttpClient client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        for (int i = 0; i < 150; i++)
        {
            request.Headers.Add("X-Header-" + i.ToString(CultureInfo.InvariantCulture), "1");
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        string detail = await ProblemAssert.IsProblemAsync(response, 431, "headers-too-large");
        Assert.Contains("header fields", detail);
    }

    [Theory]
    [InlineData(400, "bad-request")]
    [InlineData(404, "not-found")]
    [InlineData(413, "request-too-large")]
    [InlineData(415, "media-type-unsupported")]
    [InlineData(409, "http-409")]
    [InlineData(503, "http-503")]
    public async Task BodilessStatus_BecomesOurProblem(int status, string slug)
    {
        using WebApplicationFactory<Program> withTestRoutes = WithTestRoutes(app);
        HttpClient client = withTestRoutes.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(BodilessPath + status.ToString(CultureInfo.InvariantCulture));

        await ProblemAssert.IsProblemAsync(response, status, slug);
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task UnhandledException_Is500Problem_WithTraceId_AndTheSecurityHeaders()
    {
        using WebApplicationFactory<Program> withTestRoutes = WithTestRoutes(app);
        HttpClient client = withTestRoutes.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(ThrowingPath);

        string detail = await ProblemAssert.IsProblemAsync(response, 500, "internal-error");
        Assert.DoesNotContain("secret", detail);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("secret", body.RootElement.ToString());
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task OnKestrel_EdgeErrorsAreProblems_UpToFourTimesTheLimits()
    {
        await using ApiApplication live = ApiApplication.NeverLoading();
        live.UseKestrel(0);
        live.StartServer();
        HttpClient client = live.CreateClient();
        using var largeHeader = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        largeHeader.Headers.Add("X-Padding", LargeHeaderValue);

        using HttpResponseMessage longUrl = await client.GetAsync(LongPath);
        using HttpResponseMessage tooLarge = await client.SendAsync(largeHeader);
        using HttpResponseMessage wrongMethod = await client.PostAsync("/health/ready", content: null);
        using HttpResponseMessage unknown = await client.GetAsync("/no/such/path");

        await ProblemAssert.IsProblemAsync(longUrl, 414, "uri-too-long");
        await ProblemAssert.IsProblemAsync(tooLarge, 431, "headers-too-large");
        await ProblemAssert.IsProblemAsync(wrongMethod, 405, "method-not-allowed");
        await ProblemAssert.IsProblemAsync(unknown, 404, "not-found");
        SecurityHeadersTests.AssertSecurityHeaders(longUrl);
        SecurityHeadersTests.AssertSecurityHeaders(tooLarge);
    }

    [Fact]
    public async Task OnKestrel_BeyondFourTimesTheLimit_KestrelAnswersItself_WithAnEmptyBody()
    {
        await using ApiApplication live = ApiApplication.NeverLoading();
        live.UseKestrel(0);
        live.StartServer();
        HttpClient client = live.CreateClient();
        string hugePath = "/v1/models/" + new string('a', RequestLimitsOptions.ServerHeadroom * new RequestLimitsOptions().MaxRequestLineBytes);

        using HttpResponseMessage response = await client.GetAsync(hugePath);

        // Kestrel rejects the request line while parsing it: no middleware runs, so there is no body to write.
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// The API with two extra routes behind its whole pipeline: one that answers a bare status, as routing and
    /// model binding do, and one that throws an exception no handler knows.
    /// </summary>
    private static WebApplicationFactory<Program> WithTestRoutes(WebApplicationFactory<Program> application) =>
        application.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new TestRoutes())));

    private sealed class TestRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            next(builder);
            // The endpoint middleware passes unmatched requests on, so this runs inside every middleware of the API.
            builder.Run(context =>
            {
                if (context.Request.Path.StartsWithSegments(BodilessPath.TrimEnd('/'), out PathString rest))
                {
                    context.Response.StatusCode = int.Parse(rest.Value!.TrimStart('/'), CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                }
                if (context.Request.Path == ThrowingPath)
                {
                    throw new InvalidOperationException("A secret the client must not see.");
                }
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        };
    }
}
