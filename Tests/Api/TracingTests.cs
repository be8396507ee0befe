using System.Diagnostics;
using System.Net;
using Engine.Inference;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

public sealed class TracingTests
{
    [Fact]
    public async Task A_classification_has_queue_wait_and_inference_spans_under_its_request()
    {
        var spans = new List<Activity>();
        await using var app = new ApiApplication();
        await using var traced = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource(InferenceTelemetry.Name, "Microsoft.AspNetCore")
                .AddInMemoryExporter(spans))));
        HttpClient client = await traced.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync($"/v1/classify?model={ApiApplication.DefaultModel}", Raw(TestImages.DigitPng(), "image/png"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Activity[] finished = await WaitForAsync(spans, s => s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        Activity request = Assert.Single(finished, s => s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        foreach (string name in (string[])["queue wait", "inference", "preprocess"])
        {
            Activity span = Assert.Single(finished, s => s.OperationName == name);
            Assert.Equal(request.TraceId, span.TraceId);
            Assert.Equal(request.SpanId, span.ParentSpanId);
            Assert.InRange(span.StartTimeUtc, request.StartTimeUtc, request.StartTimeUtc + request.Duration);
            Assert.True(span.Duration >= TimeSpan.Zero && span.StartTimeUtc + span.Duration <= request.StartTimeUtc + request.Duration);
        }
        Activity preprocess = finished.Single(s => s.OperationName == "preprocess");
        foreach (string name in (string[])["decode", "normalize"])
        {
            Activity span = Assert.Single(finished, s => s.OperationName == name);
            Assert.Equal(preprocess.SpanId, span.ParentSpanId);
        }
        Assert.Equal("PNG", finished.Single(s => s.OperationName == "decode").GetTagItem("image.format"));
        Activity inference = finished.Single(s => s.OperationName == "inference");
        Assert.Equal(ApiApplication.DefaultModel, inference.GetTagItem("model"));
        Assert.Equal("managed", inference.GetTagItem("backend"));
        Assert.Equal(1, inference.GetTagItem("batch.size"));
        Activity wait = finished.Single(s => s.OperationName == "queue wait");
        Assert.True(wait.StartTimeUtc + wait.Duration <= inference.StartTimeUtc + TimeSpan.FromMilliseconds(1));
    }

    private static async Task<Activity[]> WaitForAsync(List<Activity> spans, Func<Activity, bool> last)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            lock (spans)
            {
                if (spans.Any(last))
                {
                    return [.. spans];
                }
            }
            await Task.Delay(100);
        }
        lock (spans)
        {
            return [.. spans];
        }
    }
}
