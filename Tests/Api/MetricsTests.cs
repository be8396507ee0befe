using System.Net;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Metrics_are_in_Prometheus_text_format_with_the_models_backends_and_outcomes()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using HttpResponseMessage classified = await client.PostAsync($"/v1/classify?model={ApiApplication.DefaultModel}", Raw(TestImages.DigitPng(), "image/png"));
        Assert.Equal(HttpStatusCode.OK, classified.StatusCode);

        string model = $"model=\"{ApiApplication.DefaultModel}\"";
        string[] expected =
        [
            $"digits_inference_images_total\\{{[^}}]*backend=\"managed\",{model},outcome=\"completed\"\\}} [1-9]",
            $"digits_inference_batch_size_count\\{{[^}}]*{model}\\}} [1-9]",
            $"digits_inference_duration_seconds_count\\{{[^}}]*{model}\\}} [1-9]",
            $"digits_inference_queue_duration_seconds_count\\{{[^}}]*{model}\\}} [1-9]",
            "digits_preprocess_duration_seconds_count\\{[^}]*\\} [1-9]",
            $"digits_inference_queue_depth\\{{[^}}]*{model}\\}} 0",
            $"digits_models\\{{[^}}]*state=\"ready\"\\}} {ApiApplication.Models.Count}",
            $"http_server_request_duration_seconds_count\\{{[^}}]*backend=\"managed\"[^}}]*http_route=\"/v1/classify/?\"[^}}]*{model}",
        ];

        string metrics = await ScrapeUntilAsync(client, expected);

        Assert.All(expected, pattern => Assert.Matches(pattern, metrics));
        Assert.Contains("dotnet_gc_collections_total", metrics);
    }

    [Fact]
    public async Task Refused_requests_are_counted_by_status()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using HttpResponseMessage refused = await client.PostAsync("/v1/classify", Raw(TestImages.BlankPng(), "image/png"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        const string refusedSeries = "http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"422\"[^}]*http_route=\"/v1/classify/?\"";
        string metrics = await ScrapeUntilAsync(client, [refusedSeries]);

        Assert.Matches(refusedSeries, metrics);
    }

    // The exporter caches a scrape for a moment, and a request's own measurement is taken as it ends: scrape again
    // until every pattern is there (or give up and let the assertions say which is missing).
    internal static async Task<string> ScrapeUntilAsync(HttpClient client, IReadOnlyList<string> patterns)
    {
        string metrics = "";
        for (int attempt = 0; attempt < 40 && !patterns.All(p => System.Text.RegularExpressions.Regex.IsMatch(metrics, p)); attempt++)
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
