using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Engine.Inference;
using static Tests.Api.InferenceProtocolTests;

namespace Tests.Api;

/// <summary>
/// The Open Inference Protocol endpoints while models load, after one failed, when a queue is full and when a
/// body is too large: each in the protocol's error form with the status /v1 uses.
/// </summary>
public sealed class InferenceProtocolServingTests : IDisposable
{
    private const string Healthy = ApiApplication.DefaultModel;
    private const string Broken = "corrupt";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "digits-oip-" + Guid.NewGuid().ToString("N"));

    public InferenceProtocolServingTests()
    {
        Directory.CreateDirectory(folder);
        foreach (string extension in new[] { ".onnx", ".json" })
        {
            File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, Healthy + extension), Path.Combine(folder, Healthy + extension));
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task WhileModelsLoad_TheServerIsLiveButNotReady_AndModelsAnswer503()
    {
        await using ApiApplication app = ApiApplication.NeverLoading();
        HttpClient client = app.CreateClient();

        using HttpResponseMessage live = await client.GetAsync("/v2/health/live");
        using HttpResponseMessage ready = await client.GetAsync("/v2/health/ready");
        using HttpResponseMessage metadata = await client.GetAsync($"/v2/models/{Healthy}");
        using HttpResponseMessage infer = await client.PostAsJsonAsync($"/v2/models/{Healthy}/infer", new { inputs = new[] { Fp32Input([Blank()]) } });

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ready").GetBoolean());
        Assert.Contains("loading", await AssertErrorAsync(metadata, HttpStatusCode.ServiceUnavailable, "metadata_model_error_response"));
        Assert.Contains("loading", await AssertErrorAsync(infer, HttpStatusCode.ServiceUnavailable, "inference_error_response"));
        Assert.NotNull(infer.Headers.RetryAfter);
    }

    [Fact]
    public async Task AFailedModel_HasMetadata_IsNotReady_AndAnswers503()
    {
        string onnx = Path.Combine(folder, Broken + ".onnx");
        File.WriteAllBytes(onnx, [1, 2, 3]);
        ModelCard card = ModelCardFile.Read(Path.Combine(folder, Healthy + ".json"));
        ModelCardFile.Write(Path.Combine(folder, Broken + ".json"), card with { Name = Broken, OnnxFile = Broken + ".onnx" });
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage serverReady = await client.GetAsync("/v2/health/ready");
        using HttpResponseMessage metadata = await client.GetAsync($"/v2/models/{Broken}");
        using HttpResponseMessage modelReady = await client.GetAsync($"/v2/models/{Broken}/ready");
        using HttpResponseMessage infer = await client.PostAsJsonAsync($"/v2/models/{Broken}/infer", new { inputs = new[] { Fp32Input([Blank()]) } });

        Assert.Equal(HttpStatusCode.OK, serverReady.StatusCode); // one model serves, as for /health/ready
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        string metadataBody = await metadata.Content.ReadAsStringAsync();
        InferenceProtocolSpec.AssertValid(metadataBody, "metadata_model_response");
        Assert.Equal("failed", JsonDocument.Parse(metadataBody).RootElement.GetProperty("properties").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, modelReady.StatusCode);
        JsonElement readiness = await modelReady.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Broken, readiness.GetProperty("name").GetString());
        Assert.False(readiness.GetProperty("ready").GetBoolean());
        Assert.Contains($"'{Broken}' does not serve", await AssertErrorAsync(infer, HttpStatusCode.ServiceUnavailable, "inference_error_response"));
    }

    [Fact]
    public async Task AFullQueue_Answers503_WithRetryAfter()
    {
        // One image queued at most: a request of 32 images overflows it before the worker can take more than a few.
        await using ApiApplication app = ApiApplication.ForModels(folder, new Dictionary<string, string>
        {
            ["Batching:MaxQueueSize"] = "1",
            ["Batching:MaxBatchSize"] = "1",
        });
        HttpClient client = await app.CreateLoadedClientAsync();
        float[][] images = Enumerable.Range(0, 32).Select(_ => Blank()).ToArray();

        using HttpResponseMessage response = await client.PostAsJsonAsync($"/v2/models/{Healthy}/infer", new { inputs = new[] { Fp32Input(images) } });

        Assert.Contains("as many images", await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "inference_error_response"));
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413()
    {
        await using ApiApplication app = ApiApplication.ForModels(folder, new Dictionary<string, string> { ["Classification:MaxRequestBytes"] = "1000" });
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsJsonAsync($"/v2/models/{Healthy}/infer", new { inputs = new[] { Fp32Input([Blank()]) } });

        Assert.Contains("1,000-byte limit", await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "inference_error_response"));
    }
}
