using System.Net;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

public sealed class MetricsTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Metrics_are_in_Prometheus_text_format_with_the_models_backends_and_outcomes()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using HttpResponseMessage classified = await client.PostAsync($"/v1/classify?model={ApiApplication.DefaultModel}", Raw(TestImages.DigitPng(), "image/png"));
        Assert.Equal(HttpStatusCode.OK, classified.StatusCode);

        string metrics = await ScrapeUntilAsync(client, "digits_inference_images_total");

        string model = $"model=\"{ApiApplication.DefaultModel}\"";
        Assert.Matches($"digits_inference_images_total\\{{[^}}]*backend=\"managed\",{model},outcome=\"completed\"\\}} 1", metrics);
        Assert.Matches($"digits_inference_batch_size_count\\{{[^}}]*{model}\\}} [1-9]", metrics);
        Assert.Matches($"digits_inference_duration_seconds_count\\{{[^}}]*{model}\\}} [1-9]", metrics);
        Assert.Matches($"digits_inference_queue_duration_seconds_count\\{{[^}}]*{model}\\}} [1-9]", metrics);
        Assert.Matches("digits_preprocess_duration_seconds_count\\{[^}]*\\} [1-9]", metrics);
        Assert.Matches($"digits_inference_queue_depth\\{{[^}}]*{model}\\}} 0", metrics);
        Assert.Matches($"digits_models\\{{[^}}]*state=\"ready\"\\}} {ApiApplication.Models.Count}", metrics);
        Assert.Matches($"http_server_request_duration_seconds_count\\{{[^}}]*backend=\"managed\"[^}}]*http_route=\"/v1/classify/?\"[^}}]*{model}", metrics);
        Assert.Contains("dotnet_gc_collections_total", metrics);
    }

    [Fact]
    public async Task Refused_requests_are_counted_by_status()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using HttpResponseMessage refused = await client.PostAsync("/v1/classify", Raw(TestImages.BlankPng(), "image/png"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        string metrics = await ScrapeUntilAsync(client, "http_response_status_code=\"422\"");

        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"422\"[^}]*http_route=\"/v1/classify/?\"", metrics);
    }

    // The exporter caches a scrape for a moment; a measurement may need one more.
    internal static async Task<string> ScrapeUntilAsync(HttpClient client, string expected)
    {
        string metrics = "";
        for (int attempt = 0; attempt < 40 && !metrics.Contains(expected, StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(250);
            }
            using HttpResponseMessage response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            metrics = await response.Content.ReadAsStringAsync();
        }
        return metrics;
    }
}
