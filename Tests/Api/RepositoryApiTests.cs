using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Api.Hosting;
using Contracts;
using Contracts.InferenceProtocol;
using Engine.Inference;
using Microsoft.Extensions.DependencyInjection;
using static Tests.Api.ModelRepositoryTests;

namespace Tests.Api;

/// <summary>
/// The model repository admin endpoints (Triton's repository extension): the index and its states, unload and
/// load, and the admin key that guards them.
/// </summary>
public sealed class RepositoryApiTests : IDisposable
{
    private const string Key = "test-admin-key-0123456789abcdef";
    private const string Healthy = "baseline-relu";
    private const string SameShape = "seed2-relu";
    private const string Broken = "corrupt";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "digits-repository-api-" + Guid.NewGuid().ToString("N"));

    public RepositoryApiTests()
    {
        Directory.CreateDirectory(folder);
        CopyModel(folder, Healthy);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_index_lists_every_version_with_Tritons_states()
    {
        BreakCopy(Broken);
        CopyModel(Path.Combine(folder, "digits", "1"), Healthy, "digits");
        CopyModel(Path.Combine(folder, "digits", "2"), SameShape, "digits");
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();

        RepositoryIndexEntry[] all = await IndexAsync(client, body: null);
        RepositoryIndexEntry[] ready = await IndexAsync(client, """{"ready": true}""");
        RepositoryIndexEntry[] notOnlyReady = await IndexAsync(client, """{"ready": false}""");

        Assert.Equal(
            [(Healthy, "1", "READY"), (Broken, "1", "UNAVAILABLE"), ("digits", "1", "READY"), ("digits", "2", "READY")],
            all.Select(e => (e.Name, e.Version, e.State)).OrderBy(e => e.Name == Healthy ? 0 : e.Name == Broken ? 1 : 2).ThenBy(e => e.Version).ToArray());
        Assert.Contains($"ONNX Runtime cannot load '{Broken}.onnx'", Assert.Single(all, e => e.Name == Broken).Reason);
        Assert.All(all.Where(e => e.State == "READY"), e => Assert.Null(e.Reason));
        Assert.Equal(3, ready.Length);
        Assert.All(ready, e => Assert.Equal("READY", e.State));
        Assert.Equal(4, notOnlyReady.Length);
        string raw = await (await SendAsync(client, HttpMethod.Post, "/v2/repository/index")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"reason\":null", raw);
    }

    [Fact]
    public async Task Unload_stops_serving_the_model_and_load_serves_it_again()
    {
        CopyModel(folder, SameShape);
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] before = await ProbabilitiesAsync(client, Healthy);

        using HttpResponseMessage unload = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/unload");
        Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        Assert.Equal("{}", await unload.Content.ReadAsStringAsync());
        using (HttpResponseMessage classify = await ClassifyAsync(client, Healthy))
        {
            Assert.Contains("unloaded by an operator", await ProblemAssert.IsProblemAsync(classify, 503, "model-unavailable"));
        }
        using (HttpResponseMessage infer = await client.PostAsJsonAsync($"/v2/models/{Healthy}/infer", new { inputs = Array.Empty<object>() }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, infer.StatusCode);
        }
        RepositoryIndexEntry unloaded = Assert.Single(await IndexAsync(client, null), e => e.Name == Healthy);
        Assert.Equal("UNAVAILABLE", unloaded.State);
        Assert.Contains("unloaded", unloaded.Reason);
        Assert.Equal("unloaded", (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{Healthy}"))!.State);
        Assert.Equal(HttpStatusCode.OK, (await ClassifyAsync(client, SameShape)).StatusCode);

        using HttpResponseMessage load = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/load");
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Equal("{}", await load.Content.ReadAsStringAsync());
        Assert.True(Close(before, await ProbabilitiesAsync(client, Healthy)));
        Assert.Equal("READY", Assert.Single(await IndexAsync(client, null), e => e.Name == Healthy).State);
    }

    [Fact]
    public async Task Unload_waits_for_the_requests_using_the_model_which_finish_on_it()
    {
        CopyModel(folder, SameShape);
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();
        Assert.True(app.Services.GetRequiredService<ModelStore>().Catalog.TryGetByName(Healthy, out DigitModel? model));
        // A request in flight holds a use of the model, as DigitClassifier does around each image.
        Assert.True(model.TryAcquire());

        Task<HttpResponseMessage> unload = SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/unload");
        await PollAsync(async () => (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{Healthy}"))!.State == "unloaded" ? true : (bool?)null);
        using (HttpResponseMessage refused = await ClassifyAsync(client, Healthy))
        {
            Assert.Contains("unloaded by an operator", await ProblemAssert.IsProblemAsync(refused, 503, "model-unavailable"));
        }
        Assert.False(unload.IsCompleted, "The unload must wait for the request still using the model.");
        InferenceStatus status = await model.ClassifyAsync(new float[DigitModel.ImageSize], new float[DigitModel.Classes], CancellationToken.None);
        model.Release();
        using HttpResponseMessage unloaded = await unload.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(InferenceStatus.Completed, status);
        Assert.Equal(HttpStatusCode.OK, unloaded.StatusCode);
        Assert.False(model.TryAcquire());
        Assert.Equal(InferenceStatus.Stopped, await model.ClassifyAsync(new float[DigitModel.ImageSize], new float[DigitModel.Classes], CancellationToken.None));
    }

    [Fact]
    public async Task Load_takes_replaced_files_at_once_even_without_watching()
    {
        CopyModel(folder, SameShape);
        await using ApiApplication app = WithKey(new() { ["Inference:WatchModels"] = "false" });
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] replacement = await ProbabilitiesAsync(client, SameShape);
        float[] before = await ProbabilitiesAsync(client, Healthy);

        File.WriteAllBytes(Path.Combine(folder, Healthy + ".onnx"), File.ReadAllBytes(Path.Combine(folder, SameShape + ".onnx")));
        Assert.True(Close(before, await ProbabilitiesAsync(client, Healthy)), "Without watching, nothing changes until a load.");
        using HttpResponseMessage load = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/load");

        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.True(Close(replacement, await ProbabilitiesAsync(client, Healthy)), "After the load, the new weights answer.");
    }

    [Fact]
    public async Task Load_of_a_broken_model_answers_400_with_the_reason_and_of_an_unknown_one_404()
    {
        BreakCopy(Broken);
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage broken = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Broken}/load");
        using HttpResponseMessage unknown = await SendAsync(client, HttpMethod.Post, "/v2/repository/models/nonexistent/load");
        using HttpResponseMessage unloadUnknown = await SendAsync(client, HttpMethod.Post, "/v2/repository/models/nonexistent/unload");

        Assert.Contains($"ONNX Runtime cannot load '{Broken}.onnx'", await ErrorAsync(broken, HttpStatusCode.BadRequest));
        Assert.Contains("no model named 'nonexistent'", await ErrorAsync(unknown, HttpStatusCode.NotFound));
        Assert.Contains("no model named 'nonexistent'", await ErrorAsync(unloadUnknown, HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.OK, (await ClassifyAsync(client, Healthy)).StatusCode);
    }

    [Fact]
    public async Task A_corrupt_replacement_fails_its_load_while_the_previous_copy_serves()
    {
        await using ApiApplication app = WithKey(new() { ["Inference:WatchModels"] = "false" });
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] before = await ProbabilitiesAsync(client, Healthy);

        File.WriteAllBytes(Path.Combine(folder, Healthy + ".onnx"), [1, 2, 3]);
        using HttpResponseMessage load = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/load");

        Assert.Contains("the previous one still serves", await ErrorAsync(load, HttpStatusCode.BadRequest));
        Assert.True(Close(before, await ProbabilitiesAsync(client, Healthy)));
        RepositoryIndexEntry entry = Assert.Single(await IndexAsync(client, null));
        Assert.Equal("READY", entry.State);
        Assert.Contains($"ONNX Runtime cannot load '{Healthy}.onnx'", entry.Reason);
    }

    [Fact]
    public async Task A_malformed_index_request_answers_400_in_the_protocols_form()
    {
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await SendAsync(client, HttpMethod.Post, "/v2/repository/index", """{"ready": "yes"}""");

        Assert.Contains("not an index request", await ErrorAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("/v2/repository/index")]
    [InlineData("/v2/repository/models/baseline-relu/load")]
    [InlineData("/v2/repository/models/baseline-relu/unload")]
    public async Task Without_the_key_401_with_a_wrong_one_403_and_nothing_changes(string path)
    {
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage none = await client.PostAsync(path, null);
        using HttpResponseMessage basic = await SendAsync(client, HttpMethod.Post, path, authorization: new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Key))));
        using HttpResponseMessage wrongBearer = await SendAsync(client, HttpMethod.Post, path, authorization: new AuthenticationHeaderValue("Bearer", Key + "x"));
        using HttpResponseMessage prefix = await SendAsync(client, HttpMethod.Post, path, authorization: new AuthenticationHeaderValue("Bearer", Key[..^1]));
        using var wrongHeader = new HttpRequestMessage(HttpMethod.Post, path);
        wrongHeader.Headers.Add("X-Api-Key", "not-the-key");
        using HttpResponseMessage wrongApiKey = await client.SendAsync(wrongHeader);

        await ErrorAsync(none, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        await ErrorAsync(basic, HttpStatusCode.Unauthorized);
        await ErrorAsync(wrongBearer, HttpStatusCode.Forbidden);
        await ErrorAsync(prefix, HttpStatusCode.Forbidden);
        await ErrorAsync(wrongApiKey, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await ClassifyAsync(client, Healthy)).StatusCode);
    }

    [Fact]
    public async Task The_X_Api_Key_header_is_accepted_too()
    {
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index");
        request.Headers.Add("X-Api-Key", Key);

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Healthy, Assert.Single((await response.Content.ReadFromJsonAsync<RepositoryIndexEntry[]>())!).Name);
    }

    [Fact]
    public async Task Without_a_configured_key_the_endpoints_do_not_exist()
    {
        await using ApiApplication app = ApiApplication.ForModels(folder);
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage index = await SendAsync(client, HttpMethod.Post, "/v2/repository/index");
        using HttpResponseMessage unload = await SendAsync(client, HttpMethod.Post, $"/v2/repository/models/{Healthy}/unload");
        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        Assert.Equal(HttpStatusCode.NotFound, index.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClassifyAsync(client, Healthy)).StatusCode);
        Assert.DoesNotContain(document.RootElement.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/v2/repository", StringComparison.Ordinal));
        Assert.Contains(document.RootElement.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/v2/models", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints_under_Model_repository()
    {
        await using ApiApplication app = WithKey();
        HttpClient client = await app.CreateLoadedClientAsync();

        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        JsonElement paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/v2/repository/index", "/v2/repository/models/{name}/load", "/v2/repository/models/{name}/unload" })
        {
            JsonElement post = paths.GetProperty(path).GetProperty("post");
            Assert.Equal("Model repository", Assert.Single(post.GetProperty("tags").EnumerateArray()).GetString());
            Assert.True(post.GetProperty("responses").TryGetProperty("401", out _), path);
            Assert.True(post.GetProperty("responses").TryGetProperty("403", out _), path);
        }
    }

    [Fact]
    public async Task A_key_too_short_stops_the_service_at_start()
    {
        await using ApiApplication app = ApiApplication.ForModels(folder, new Dictionary<string, string> { ["Repository:AdminApiKey"] = "short" });

        Exception failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Repository:AdminApiKey must be at least 16 characters", failure.ToString());
    }

    private ApiApplication WithKey(Dictionary<string, string>? settings = null)
    {
        settings ??= [];
        settings["Repository:AdminApiKey"] = Key;
        return ApiApplication.ForModels(folder, settings);
    }

    private void BreakCopy(string name)
    {
        CopyModel(folder, Healthy, name);
        File.WriteAllBytes(Path.Combine(folder, name + ".onnx"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, string? body = null, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization ?? new AuthenticationHeaderValue("Bearer", Key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    private static async Task<RepositoryIndexEntry[]> IndexAsync(HttpClient client, string? body)
    {
        using HttpResponseMessage response = await SendAsync(client, HttpMethod.Post, "/v2/repository/index", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RepositoryIndexEntry[]>())!;
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        string? error = Assert.Single(document.RootElement.EnumerateObject(), p => p.Name == "error").Value.GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }
}
