using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) scrapes the running service, and a series is read back
/// through Prometheus' own HTTP query API.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class PrometheusScrapeTests(LiveServer server) : IClassFixture<LiveServer>
{
    private const string PrometheusBinary = "/usr/bin/prometheus";

    [Fact]
    public async Task Prometheus_scrapes_the_service_and_answers_a_query_for_its_inference_counter()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's 'prometheus' package (./scripts/test.sh does).");
        string folder = Directory.CreateTempSubdirectory("digits-prometheus-").FullName;
        int port = FreePort();
        Uri target = server.BaseAddress;
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: digits
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Host}:{target.Port}"]
            """);
        using Process prometheus = Process.Start(new ProcessStartInfo(PrometheusBinary)
        {
            ArgumentList =
            {
                $"--config.file={Path.Combine(folder, "prometheus.yml")}",
                $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using HttpClient service = server.CreateClient();
            using var query = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            for (int i = 0; i < 3; i++)
            {
                using HttpResponseMessage classified = await service.PostAsync("/v1/classify?model=enhanced-relu", Raw(File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "scripts", "digit-7.png")), "image/png"));
                Assert.Equal(HttpStatusCode.OK, classified.StatusCode);
            }

            JsonElement? series = null;
            for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60) && series is null;)
            {
                await Task.Delay(500);
                series = await QueryAsync(query, "digits_inference_images_total{model=\"enhanced-relu\",outcome=\"completed\"}");
            }

            Assert.True(series is not null, "Prometheus never returned the series within 60 s.");
            JsonElement metric = series.Value.GetProperty("metric");
            Assert.Equal("digits", metric.GetProperty("job").GetString());
            Assert.Equal("managed", metric.GetProperty("backend").GetString());
            Assert.True(double.Parse(series.Value.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 3);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    // The first series of an instant query's answer, or null while Prometheus is not ready or has none.
    private static async Task<JsonElement?> QueryAsync(HttpClient client, string promQl)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement result = document.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 0 ? null : result[0].Clone();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
