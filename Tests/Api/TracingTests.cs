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

        // Other tests of the process may record spans too; this request's trace is told apart by its id.
        ActivityTraceId trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/classify?model={ApiApplication.DefaultModel}")
        {
            Content = Raw(TestImages.DigitPng(), "image/png"),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Activity[] finished = (await WaitForAsync(spans, s => s.TraceId == trace && s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn"))
            .Where(s => s.TraceId == trace).ToArray();
        Activity server = Assert.Single(finished, s => s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        // Alone, the image finds the queue empty and runs at once: no queue-wait span; queued, it gets one.
        string[] expected = finished.Any(s => s.OperationName == "queue wait") ? ["queue wait", "inference", "preprocess"] : ["inference", "preprocess"];
        foreach (string name in expected)
        {
            Activity span = Assert.Single(finished, s => s.OperationName == name);
            Assert.Equal(server.SpanId, span.ParentSpanId);
            Assert.InRange(span.StartTimeUtc, server.StartTimeUtc, server.StartTimeUtc + server.Duration);
            Assert.True(span.Duration >= TimeSpan.Zero && span.StartTimeUtc + span.Duration <= server.StartTimeUtc + server.Duration);
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
        if (finished.FirstOrDefault(s => s.OperationName == "queue wait") is { } wait)
        {
            Assert.True(wait.StartTimeUtc + wait.Duration <= inference.StartTimeUtc + TimeSpan.FromMilliseconds(1));
        }
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
