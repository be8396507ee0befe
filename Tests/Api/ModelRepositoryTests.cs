using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Api.Hosting;
using Contracts;
using Engine.Inference;
using Microsoft.Extensions.DependencyInjection;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// The models folder changing under a running service: a new model serves, a replaced one is swapped without a
/// failed request, a corrupt replacement leaves the previous copy serving, a removed one is released, and the
/// <c>NAME/VERSION/</c> layout serves its latest version by default and the others by number.
/// </summary>
public sealed class ModelRepositoryTests : IDisposable
{
    private const string Model = "baseline-relu";

    // Same architecture and activation as Model, other weights: its ONNX file can replace Model's.
    private const string SameShape = "seed2-relu";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(12);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "digits-repository-" + Guid.NewGuid().ToString("N"));

    public ModelRepositoryTests()
    {
        Directory.CreateDirectory(folder);
        CopyModel(folder, Model);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_new_model_serves_without_a_restart()
    {
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        using (HttpResponseMessage before = await ClassifyAsync(client, "newcomer"))
        {
            await ProblemAssert.IsProblemAsync(before, 400, "model-unknown");
        }

        CopyModel(folder, SameShape, "newcomer");

        ClassificationResult result = await PollAsync(async () =>
        {
            using HttpResponseMessage response = await ClassifyAsync(client, "newcomer");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<ClassificationResult>() : null;
        });
        Assert.Equal("newcomer", result.Model);
        ModelInfo info = (await client.GetFromJsonAsync<ModelInfo>("/v1/models/newcomer"))!;
        Assert.Equal("ready", info.State);
    }

    [Fact]
    public async Task A_replaced_model_answers_with_its_new_weights_and_no_request_fails_during_the_swap()
    {
        CopyModel(folder, SameShape);
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] old = await ProbabilitiesAsync(client, Model);
        float[] replacement = await ProbabilitiesAsync(client, SameShape);
        Assert.False(Close(old, replacement), "The two generated models must answer differently for the test to mean anything.");

        using var stop = new CancellationTokenSource();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var answers = new ConcurrentBag<float[]>();
        Task[] loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using HttpResponseMessage response = await ClassifyAsync(client, Model);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    answers.Add((await response.Content.ReadFromJsonAsync<ClassificationResult>())!.Probabilities.ToArray());
                }
            }
        })).ToArray();

        // Written in place, as a copy over the old file is: the watcher may see it half written, which must not serve.
        await File.WriteAllBytesAsync(Path.Combine(folder, Model + ".onnx"), await File.ReadAllBytesAsync(Path.Combine(folder, SameShape + ".onnx")));
        await PollAsync(async () => Close(await ProbabilitiesAsync(client, Model), replacement) ? true : (bool?)null);
        int duringSwap = statuses.Count;
        await PollAsync(() => Task.FromResult(statuses.Count >= duringSwap + 20 ? true : (bool?)null));
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(answers, answer => Assert.True(Close(answer, old) || Close(answer, replacement), "An answer came from neither copy."));
        Assert.Contains(answers, answer => Close(answer, old));
        Assert.Contains(answers, answer => Close(answer, replacement));
        ModelInfo info = (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{Model}"))!;
        Assert.Equal("ready", info.State);
        Assert.Null(info.Reason);
    }

    [Fact]
    public async Task A_corrupt_replacement_keeps_the_previous_copy_serving_and_says_why()
    {
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] before = await ProbabilitiesAsync(client, Model);

        await File.WriteAllBytesAsync(Path.Combine(folder, Model + ".onnx"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());

        ModelInfo info = await PollAsync(async () =>
        {
            ModelInfo current = (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{Model}"))!;
            return current.Reason is null ? null : current;
        });
        Assert.Equal("ready", info.State);
        Assert.Contains("the previous one still serves", info.Reason);
        Assert.Contains($"ONNX Runtime cannot load '{Model}.onnx'", info.Reason);
        Assert.DoesNotContain(folder, info.Reason);
        Assert.NotNull(info.Backend);
        float[] after = await ProbabilitiesAsync(client, Model);
        Assert.True(Close(before, after), "The previous copy must still answer.");
    }

    [Fact]
    public async Task A_removed_model_stops_serving_and_its_backend_is_released()
    {
        CopyModel(folder, SameShape);
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        Assert.True(app.Services.GetRequiredService<ModelStore>().Catalog.TryGetByName(SameShape, out DigitModel? removed));
        await ProbabilitiesAsync(client, SameShape);

        File.Delete(Path.Combine(folder, SameShape + ".onnx"));
        File.Delete(Path.Combine(folder, SameShape + ".json"));

        string detail = await PollAsync(async () =>
        {
            using HttpResponseMessage response = await ClassifyAsync(client, SameShape);
            return response.StatusCode == HttpStatusCode.BadRequest ? await ProblemAssert.IsProblemAsync(response, 400, "model-unknown") : null;
        });
        Assert.Contains($"no model named '{SameShape}'", detail);
        ModelInfo[] models = (await client.GetFromJsonAsync<ModelInfo[]>("/v1/models"))!;
        Assert.DoesNotContain(models, m => m.Name == SameShape);
        Assert.Contains(models, m => m.Name == Model && m.State == "ready");
        // Retired: no new request may use it, and once the last one finished its batcher stopped and its backend was disposed.
        Assert.False(removed.TryAcquire());
        InferenceStatus status = await PollAsync(async () =>
        {
            InferenceStatus answered = await removed.ClassifyAsync(new float[DigitModel.ImageSize], new float[DigitModel.Classes], CancellationToken.None);
            return answered == InferenceStatus.Stopped ? answered : (InferenceStatus?)null;
        });
        Assert.Equal(InferenceStatus.Stopped, status);
    }

    [Fact]
    public async Task In_the_NAME_VERSION_layout_the_latest_version_serves_by_default_and_older_ones_by_number()
    {
        CopyModel(Path.Combine(folder, "digits", "1"), Model, "digits");
        CopyModel(Path.Combine(folder, "digits", "2"), SameShape, "digits");
        CopyModel(folder, SameShape);
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] version1 = await ProbabilitiesAsync(client, Model);
        float[] version2 = await ProbabilitiesAsync(client, SameShape);

        (string latestVersion, float[] latest) = await InferAsync(client, "/v2/models/digits/infer");
        (string oldVersion, float[] old) = await InferAsync(client, "/v2/models/digits/versions/1/infer");
        float[] byName = await ProbabilitiesAsync(client, "digits");
        JsonElement metadata = await client.GetFromJsonAsync<JsonElement>("/v2/models/digits");

        Assert.Equal("2", latestVersion);
        Assert.True(Close(latest, version2), "The latest version must answer by default.");
        Assert.Equal("1", oldVersion);
        Assert.True(Close(old, version1), "Version 1 must answer when asked for.");
        Assert.True(Close(byName, version2), "/v1/classify must use the latest version.");
        Assert.Equal(["1", "2"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToArray());
        ModelInfo[] models = (await client.GetFromJsonAsync<ModelInfo[]>("/v1/models"))!;
        Assert.Equal(["1", "2"], models.Where(m => m.Name == "digits").Select(m => m.Version).ToArray());
        Assert.All(models, m => Assert.Equal("ready", m.State));
    }

    [Fact]
    public async Task A_new_version_folder_serves_without_a_restart_and_becomes_the_default()
    {
        CopyModel(Path.Combine(folder, "digits", "1"), Model, "digits");
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();
        Assert.Equal("1", (await InferAsync(client, "/v2/models/digits/infer")).Version);

        CopyModel(Path.Combine(folder, "digits", "7"), SameShape, "digits");

        string version = await PollAsync(async () =>
        {
            (string v, _) = await InferAsync(client, "/v2/models/digits/infer");
            return v == "7" ? v : null;
        });
        Assert.Equal("7", version);
        Assert.Equal("1", (await InferAsync(client, "/v2/models/digits/versions/1/infer")).Version);
    }

    internal static Task<HttpResponseMessage> ClassifyAsync(HttpClient client, string model) =>
        client.PostAsync($"/v1/classify?model={model}", Raw(TestImages.DigitPng(), "image/png"));

    internal static async Task<float[]> ProbabilitiesAsync(HttpClient client, string model)
    {
        using HttpResponseMessage response = await ClassifyAsync(client, model);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ClassificationResult>())!.Probabilities.ToArray();
    }

    internal static async Task<(string Version, float[] Probabilities)> InferAsync(HttpClient client, string path)
    {
        var request = new { inputs = new[] { new { name = "image_bytes", shape = new[] { 1 }, datatype = "BYTES", data = new[] { Convert.ToBase64String(TestImages.DigitPng()) } } } };
        using HttpResponseMessage response = await client.PostAsJsonAsync(path, request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement probabilities = document.RootElement.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "probabilities");
        return (document.RootElement.GetProperty("model_version").GetString()!,
                probabilities.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }

    internal static bool Close(IReadOnlyList<float> a, IReadOnlyList<float> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5f);

    /// <summary>Asks <paramref name="probe"/> until it answers, or fails the test after the deadline.</summary>
    internal static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
        where T : class => await PollCoreAsync(async () => await probe() is { } value ? (true, value) : (false, default!));

    /// <inheritdoc cref="PollAsync{T}(Func{Task{T}})"/>
    internal static async Task<T> PollAsync<T>(Func<Task<T?>> probe, bool _ = false)
        where T : struct => await PollCoreAsync(async () => await probe() is { } value ? (true, value) : (false, default));

    private static async Task<T> PollCoreAsync<T>(Func<Task<(bool Done, T Value)>> probe)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            (bool done, T value) = await probe();
            if (done)
            {
                return value;
            }
            Assert.True(waited.Elapsed < Deadline, $"No outcome within {Deadline.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Copies a generated model into <paramref name="directory"/>, under <paramref name="name"/> if given (its card renamed).</summary>
    internal static void CopyModel(string directory, string generated, string? name = null)
    {
        name ??= generated;
        Directory.CreateDirectory(directory);
        // The ONNX file first: a card naming a missing file would be a (short-lived) failure of its own.
        File.Copy(Path.Combine(ApiApplication.GeneratedModelsDirectory, generated + ".onnx"), Path.Combine(directory, name + ".onnx"));
        ModelCard card = ModelCardFile.Read(Path.Combine(ApiApplication.GeneratedModelsDirectory, generated + ".json"));
        ModelCardFile.Write(Path.Combine(directory, name + ".json"), card with { Name = name, OnnxFile = name + ".onnx" });
    }
}
