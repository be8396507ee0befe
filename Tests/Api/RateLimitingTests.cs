using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Tests.Api;

/// <summary>Per-client rate limiting: off by default; when on, 429 ProblemDetails with Retry-After, health exempt.</summary>
public sealed class RateLimitingTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    // Far more than a one-request bucket refilled once a second lets through, however slow the machine:
    // the requests would have to be spread over tens of seconds for none of them to be refused.
    private const int Requests = 30;

    private const string ClientHeader = "X-Client-Id";

    [Fact]
    public async Task Off_ByDefault_NoRequestIsRefused()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        HttpStatusCode[] statuses = await SendAsync(client, "/v1/models", Requests);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task On_ExcessRequests_Get429Problem_WithRetryAfter()
    {
        using WebApplicationFactory<Program> limited = Limited(app);
        HttpClient client = await limited.CreateLoadedClientAsync();

        List<HttpResponseMessage> responses = [];
        for (int i = 0; i < Requests; i++)
        {
            responses.Add(await client.GetAsync("/v1/models"));
        }

        try
        {
            Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
            Assert.Equal(HttpStatusCode.OK, responses[1].StatusCode);
            HttpResponseMessage refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
            string detail = await ProblemAssert.IsProblemAsync(refused, 429, "too-many-requests");
            Assert.Contains("1 requests per second", detail);
            TimeSpan? retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
            SecurityHeadersTests.AssertSecurityHeaders(refused);
            Assert.All(responses, r => Assert.True(
                r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"Unexpected {(int)r.StatusCode}"));
        }
        finally
        {
            responses.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task On_HealthEndpoints_AreNeverLimited()
    {
        using WebApplicationFactory<Program> limited = Limited(app);
        HttpClient client = await limited.CreateLoadedClientAsync();

        HttpStatusCode[] exhausting = await SendAsync(client, "/v1/models", Requests);
        HttpStatusCode[] live = await SendAsync(client, "/health/live", Requests);
        HttpStatusCode[] ready = await SendAsync(client, "/health/ready", Requests);

        Assert.Contains(HttpStatusCode.TooManyRequests, exhausting);
        Assert.All(live, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(ready, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task On_WithAClientHeader_EachClientHasItsOwnBucket()
    {
        using WebApplicationFactory<Program> limited = Limited(app, builder => builder.UseSetting("RateLimiting:ClientHeader", ClientHeader));
        HttpClient first = await limited.CreateLoadedClientAsync();
        first.DefaultRequestHeaders.Add(ClientHeader, "first");
        HttpClient second = limited.CreateClient();
        second.DefaultRequestHeaders.Add(ClientHeader, "second");

        HttpStatusCode[] fromFirst = await SendAsync(first, "/v1/models", Requests);
        HttpStatusCode[] fromSecond = await SendAsync(second, "/v1/models", 2);

        Assert.Contains(HttpStatusCode.TooManyRequests, fromFirst);
        Assert.All(fromSecond, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public void ABurstSmallerThanTheRate_FailsAtStart()
    {
        using WebApplicationFactory<Program> misconfigured = app.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimiting:Enabled", "true")
            .UseSetting("RateLimiting:PermitsPerSecond", "10")
            .UseSetting("RateLimiting:Burst", "5"));

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("RateLimiting:Burst", error.Message);
    }

    /// <summary>One request a second, in bursts of two.</summary>
    private static WebApplicationFactory<Program> Limited(WebApplicationFactory<Program> application, Action<IWebHostBuilder>? configure = null) =>
        application.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimiting:Enabled", "true");
            builder.UseSetting("RateLimiting:PermitsPerSecond", "1");
            builder.UseSetting("RateLimiting:Burst", "2");
            configure?.Invoke(builder);
        });

    private static async Task<HttpStatusCode[]> SendAsync(HttpClient client, string path, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(path);
            statuses[i] = response.StatusCode;
        }
        return statuses;
    }
}
