using System.Net;
using System.Text.Json;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

public sealed class HealthTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Live_Is200()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await StatusOf(response));
    }

    [Fact]
    public async Task Ready_Is200_OnceTheModelsAreLoaded()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"{ApiApplication.Models.Count} models serve", body);
    }

    [Fact]
    public async Task WhileLoading_LiveIs200_ReadyIs503_AndClassifyGets503WithRetryAfter()
    {
        await using ApiApplication loading = ApiApplication.NeverLoading();
        HttpClient client = loading.CreateClient();

        using HttpResponseMessage live = await client.GetAsync("/health/live");
        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        using HttpResponseMessage classify = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), "image/png"));
        using HttpResponseMessage models = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await StatusOf(ready));
        Assert.Contains("loading", await ready.Content.ReadAsStringAsync());
        string detail = await ProblemAssert.IsProblemAsync(classify, 503, "models-loading");
        Assert.Contains("loading", detail);
        Assert.NotNull(classify.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Equal("[]", await models.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WhenLoadingFailed_ReadyIs503_AndSaysWhy()
    {
        await using ApiApplication failed = ApiApplication.WithMissingModels();
        HttpClient client = await failed.CreateLoadedClientAsync();

        using HttpResponseMessage live = await client.GetAsync("/health/live");
        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        using HttpResponseMessage classify = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), "image/png"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("does not exist", await ready.Content.ReadAsStringAsync());
        string detail = await ProblemAssert.IsProblemAsync(classify, 503, "models-unavailable");
        Assert.Contains("does not exist", detail);
    }

    private static async Task<string?> StatusOf(HttpResponseMessage response)
    {
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("status").GetString();
    }
}
