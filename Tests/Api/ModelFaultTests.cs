using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Engine.Inference;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// Start-up faults in the models folder: each broken model is reported with its reason and stays out of
/// service, the others serve, and a fixed file serves without a restart.
/// </summary>
public sealed class ModelFaultTests : IDisposable
{
    private const string Healthy = "baseline-relu";
    private const string AlsoHealthy = "enhanced-relu";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "digits-faults-" + Guid.NewGuid().ToString("N"));

    public ModelFaultTests()
    {
        Directory.CreateDirectory(folder);
        CopyModel(Healthy);
        CopyModel(AlsoHealthy);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string, Action<string>, string> Faults => new()
    {
        { "corrupt", dir => Break(dir, "corrupt", path => File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray())), "ONNX Runtime cannot load 'corrupt.onnx'" },
        { "truncated", dir => Break(dir, "truncated", path => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)])), "ONNX Runtime cannot load 'truncated.onnx'" },
        { "card-only", dir => Break(dir, "card-only", File.Delete), "names 'card-only.onnx', which does not exist" },
        { "onnx-only", dir => Break(dir, "onnx-only", path => File.Delete(Path.ChangeExtension(path, ".json"))), "'onnx-only.onnx' has no model card" },
        { "unreadable", dir => Break(dir, "unreadable", path => { File.Delete(path); Directory.CreateDirectory(path); }), "'unreadable.onnx' cannot be read" },
        { "bad-card", dir => Break(dir, "bad-card", path => File.WriteAllText(Path.ChangeExtension(path, ".json"), "{ not json")), "The model card 'bad-card.json' cannot be read" },
        { "empty", dir => Break(dir, "empty", path => File.WriteAllBytes(path, [])), "ONNX Runtime cannot load 'empty.onnx'" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_broken_model_is_reported_with_its_reason_while_the_others_serve(string name, Action<string> breakIt, string reason)
    {
        breakIt(folder);
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        ModelInfo[] models = (await client.GetFromJsonAsync<ModelInfo[]>("/v1/models"))!;
        using HttpResponseMessage healthy = await client.PostAsync($"/v1/classify?model={Healthy}", Raw(TestImages.DigitPng(), "image/png"));
        using HttpResponseMessage broken = await client.PostAsync($"/v1/classify?model={name}", Raw(TestImages.DigitPng(), "image/png"));

        string readiness = await ready.Content.ReadAsStringAsync();
        using JsonDocument readinessJson = JsonDocument.Parse(readiness);
        JsonElement check = readinessJson.RootElement.GetProperty("checks").GetProperty("models");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains(reason, check.GetProperty("data").GetProperty(name).GetString());
        ModelInfo failed = Assert.Single(models, m => m.Name == name);
        Assert.Equal("failed", failed.State);
        Assert.Contains(reason, failed.Reason);
        Assert.Null(failed.Backend);
        Assert.All(models.Where(m => m.Name != name), m => Assert.Equal("ready", m.State));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        string detail = await ProblemAssert.IsProblemAsync(broken, 503, "model-unavailable");
        Assert.Contains(reason, detail);
        Assert.DoesNotContain(folder, readiness);
        Assert.DoesNotContain(folder, detail);
        Assert.DoesNotContain(folder, await client.GetStringAsync("/v1/models"));
    }

    [Fact]
    public async Task With_every_model_required_a_broken_one_makes_the_service_not_ready()
    {
        Break(folder, "corrupt", path => File.WriteAllBytes(path, [1, 2, 3]));
        await using ApiApplication app = ApiApplication.ForModels(folder, new Dictionary<string, string> { ["Inference:RequireAllModels"] = "true" });
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("2 of 3 models serve; all are required", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_folder_is_not_ready_and_classification_says_why()
    {
        string empty = Path.Combine(folder, "empty");
        Directory.CreateDirectory(empty);
        await using ApiApplication app = ApiApplication.ForModels(empty);
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        using HttpResponseMessage classify = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), "image/png"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("holds no model", await ready.Content.ReadAsStringAsync());
        Assert.Contains("holds no model", await ProblemAssert.IsProblemAsync(classify, 503, "models-unavailable"));
        Assert.NotNull(classify.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_fixed_file_serves_without_a_restart()
    {
        string onnx = Break(folder, "mended", path => File.WriteAllBytes(path, [1, 2, 3]));
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        using HttpResponseMessage before = await client.PostAsync("/v1/classify?model=mended", Raw(TestImages.DigitPng(), "image/png"));
        await ProblemAssert.IsProblemAsync(before, 503, "model-unavailable");

        File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, Healthy + ".onnx"), onnx, overwrite: true);
        HttpStatusCode status = HttpStatusCode.ServiceUnavailable;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(20) && status != HttpStatusCode.OK;)
        {
            await Task.Delay(250);
            using HttpResponseMessage after = await client.PostAsync("/v1/classify?model=mended", Raw(TestImages.DigitPng(), "image/png"));
            status = after.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
        ModelInfo mended = (await client.GetFromJsonAsync<ModelInfo>("/v1/models/mended"))!;
        Assert.Equal("ready", mended.State);
        Assert.Null(mended.Reason);
    }

    private void CopyModel(string name)
    {
        File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, name + ".onnx"), Path.Combine(folder, name + ".onnx"));
        File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, name + ".json"), Path.Combine(folder, name + ".json"));
    }

    // A copy of a healthy model under a new name, then broken by `breakIt` (given the .onnx path).
    private static string Break(string folder, string name, Action<string> breakIt)
    {
        string onnx = Path.Combine(folder, name + ".onnx");
        File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, Healthy + ".onnx"), onnx);
        ModelCard card = ModelCardFile.Read(Path.Combine(ApiApplication.GeneratedModelsDirectory, Healthy + ".json"));
        ModelCardFile.Write(Path.Combine(folder, name + ".json"), card with { Name = name, OnnxFile = name + ".onnx" });
        breakIt(onnx);
        return onnx;
    }
}
