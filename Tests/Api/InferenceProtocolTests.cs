using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Contracts;
using Engine.Inference;

namespace Tests.Api;

/// <summary>
/// The Open Inference Protocol endpoints under <c>/v2</c> over the generated models: every body is checked
/// against the protocol's own schemas, and the answers against <c>/v1/classify</c>'s.
/// </summary>
public sealed class InferenceProtocolTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    private const string Model = ApiApplication.DefaultModel;
    private const string InferPath = "/v2/models/" + Model + "/infer";
    private const float SumTolerance = 1e-4f;

    [Theory]
    [InlineData("/v2")]
    [InlineData("/v2/")]
    public async Task ServerMetadata_MatchesTheSpecification(string path)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        string body = await GetOkAsync(client, path, "metadata_server_response");

        JsonElement root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("handwritten-digits", root.GetProperty("name").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("version").GetString()));
        Assert.Equal(0, root.GetProperty("extensions").GetArrayLength());
    }

    [Fact]
    public async Task Health_IsLiveAndReady_OnceTheModelsServe()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage live = await client.GetAsync("/v2/health/live");
        using HttpResponseMessage ready = await client.GetAsync("/v2/health/ready");
        using HttpResponseMessage modelReady = await client.GetAsync($"/v2/models/{Model}/ready");
        using HttpResponseMessage versionReady = await client.GetAsync($"/v2/models/{Model}/versions/1/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True((await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("live").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ready").GetBoolean());
        foreach (HttpResponseMessage response in new[] { modelReady, versionReady })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(Model, body.GetProperty("name").GetString());
            Assert.True(body.GetProperty("ready").GetBoolean());
        }
    }

    [Theory]
    [InlineData("/v2/models/" + Model)]
    [InlineData("/v2/models/" + Model + "/versions/1")]
    [InlineData("/v2/models/ENHANCED-RELU")]
    public async Task ModelMetadata_DescribesTheInputsAndOutputs(string path)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        string body = await GetOkAsync(client, path, "metadata_model_response");

        JsonElement root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(Model, root.GetProperty("name").GetString());
        Assert.Equal(["1"], root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("onnx_onnxv1", root.GetProperty("platform").GetString());
        Assert.Equal(
            ["image FP32 [-1,1,28,28]", "image_bytes BYTES [-1]"],
            root.GetProperty("inputs").EnumerateArray().Select(Describe));
        Assert.Equal(
            ["probabilities FP32 [-1,10]", "digit INT64 [-1]"],
            root.GetProperty("outputs").EnumerateArray().Select(Describe));
        JsonElement properties = root.GetProperty("properties");
        Assert.Equal("relu", properties.GetProperty("activation").GetString());
        Assert.Equal("enhanced", properties.GetProperty("architecture").GetString());
        Assert.Equal("ready", properties.GetProperty("state").GetString());
        Assert.Equal("cpu", properties.GetProperty("device").GetString());
    }

    [Theory]
    [InlineData("GET", "/v2/models/no-such-model", "no model named 'no-such-model'")]
    [InlineData("GET", "/v2/models/" + Model + "/versions/2", "no version '2'")]
    [InlineData("GET", "/v2/models/no-such-model/ready", "no model named 'no-such-model'")]
    [InlineData("GET", "/v2/models/" + Model + "/versions/latest/ready", "no version 'latest'")]
    [InlineData("POST", "/v2/models/no-such-model/infer", "no model named 'no-such-model'")]
    [InlineData("POST", "/v2/models/" + Model + "/versions/0/infer", "no version '0'")]
    public async Task UnknownModelOrVersion_Is404_InTheErrorForm(string method, string path, string expected)
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { inputs = new[] { Fp32Input([Blank()]) } });
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        string error = await AssertErrorAsync(response, HttpStatusCode.NotFound, method == "POST" ? "inference_error_response" : "metadata_model_error_response");
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Fp32_ReturnsProbabilitiesAndDigits_ForEveryImage_AndEchoesTheId()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] first = await SeenImageAsync(client, TestImages.DigitPng());
        float[] second = await SeenImageAsync(client, TestImages.DigitPng(300, 120));

        using HttpResponseMessage response = await client.PostAsJsonAsync(InferPath, new { id = "request-42", inputs = new[] { Fp32Input([first, second]) } });

        JsonElement root = await ReadInferenceAsync(response);
        Assert.Equal(Model, root.GetProperty("model_name").GetString());
        Assert.Equal("1", root.GetProperty("model_version").GetString());
        Assert.Equal("request-42", root.GetProperty("id").GetString());
        Assert.Equal(["model_name", "model_version", "id", "outputs"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["probabilities FP32 [2,10]", "digit INT64 [2]"], root.GetProperty("outputs").EnumerateArray().Select(Describe));
        float[] probabilities = Data<float>(root, "probabilities");
        long[] digits = Data<long>(root, "digit");
        for (int i = 0; i < 2; i++)
        {
            float[] row = probabilities[(i * 10)..((i + 1) * 10)];
            Assert.InRange(row.Sum(), 1 - SumTolerance, 1 + SumTolerance);
            Assert.Equal(Array.IndexOf(row, row.Max()), (int)digits[i]);
        }
        Assert.NotEqual(probabilities[..10], probabilities[10..]);
    }

    [Fact]
    public async Task Fp32_NestedData_GivesTheSameAnswerAsFlatData()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        float[] image = await SeenImageAsync(client, TestImages.DigitPng());
        float[][][][] nested = [[Enumerable.Range(0, 28).Select(row => image[(row * 28)..((row + 1) * 28)]).ToArray()]];

        using HttpResponseMessage flat = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { Fp32Input([image]) } });
        using HttpResponseMessage structured = await client.PostAsJsonAsync(InferPath, new
        {
            inputs = new[] { new { name = "image", shape = new[] { 1, 1, 28, 28 }, datatype = "FP32", data = nested } },
        });

        Assert.Equal(Data<float>(await ReadInferenceAsync(flat), "probabilities"), Data<float>(await ReadInferenceAsync(structured), "probabilities"));
    }

    [Fact]
    public async Task OneImage_GivesIdenticalProbabilities_ThroughV1Png_V2Bytes_AndV2Fp32()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] png = TestImages.DigitPng(90, 70);

        using HttpResponseMessage v1 = await client.PostAsync($"/v1/classify?model={Model}", ClassifyApiTests.Raw(png, "image/png"));
        using HttpResponseMessage bytes = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { BytesInput(png) } });
        using HttpResponseMessage wrapped = await client.PostAsJsonAsync(InferPath, new
        {
            inputs = new[] { new { name = "image_bytes", shape = new[] { 1 }, datatype = "BYTES", data = new[] { new { b64 = Convert.ToBase64String(png) } } } },
        });
        using HttpResponseMessage fp32 = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { Fp32Input([await SeenImageAsync(client, png)]) } });

        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        ClassificationResult expected = (await v1.Content.ReadFromJsonAsync<ClassificationResult>())!;
        foreach (HttpResponseMessage response in new[] { bytes, wrapped, fp32 })
        {
            JsonElement root = await ReadInferenceAsync(response);
            Assert.Equal(expected.Probabilities, Data<float>(root, "probabilities"));
            Assert.Equal([expected.Digit], Data<long>(root, "digit"));
        }
    }

    [Fact]
    public async Task Bytes_SeveralImages_AreAnsweredInOrder_AsEachAlone()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[][] images = [TestImages.DigitPng(), TestImages.DigitPng(300, 120), TestImages.DigitPng(40, 200)];

        using HttpResponseMessage together = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { BytesInput(images) } });
        JsonElement root = await ReadInferenceAsync(together);

        Assert.Equal(["probabilities FP32 [3,10]", "digit INT64 [3]"], root.GetProperty("outputs").EnumerateArray().Select(Describe));
        float[] probabilities = Data<float>(root, "probabilities");
        for (int i = 0; i < images.Length; i++)
        {
            using HttpResponseMessage alone = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { BytesInput(images[i]) } });
            Assert.Equal(Data<float>(await ReadInferenceAsync(alone), "probabilities"), probabilities[(i * 10)..((i + 1) * 10)]);
        }
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")] // what curl -d sends
    [InlineData(null)]
    public async Task TheBody_IsReadAsJson_WhateverItsContentType(string? mediaType)
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        string body = JsonSerializer.Serialize(new { inputs = new[] { BytesInput(TestImages.DigitPng()) } });

        using HttpResponseMessage response = await client.PostAsync(InferPath, ClassifyApiTests.Raw(Encoding.UTF8.GetBytes(body), mediaType));

        Assert.Equal(10, Data<float>(await ReadInferenceAsync(response), "probabilities").Length);
    }

    [Theory]
    [InlineData(new[] { "digit" }, new[] { "digit" })]
    [InlineData(new[] { "probabilities" }, new[] { "probabilities" })]
    [InlineData(new[] { "digit", "probabilities" }, new[] { "digit", "probabilities" })]
    [InlineData(new string[0], new[] { "probabilities", "digit" })]
    public async Task RequestedOutputs_AreTheOnesReturned_InTheirOrder(string[] requested, string[] expected)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsJsonAsync(InferPath, new
        {
            inputs = new[] { BytesInput(TestImages.DigitPng()) },
            outputs = requested.Select(name => new { name }).ToArray(),
        });

        JsonElement root = await ReadInferenceAsync(response);
        Assert.Equal(expected, root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.False(root.TryGetProperty("id", out _));
    }

    public static TheoryData<string, string> MalformedRequests
    {
        get
        {
            string pixels = string.Join(",", Enumerable.Repeat("0.5", DigitModel.ImageSize));
            string png = Convert.ToBase64String(TestImages.DigitPng());
            return new()
            {
                { "not json", "not an inference request" },
                { "", "body is empty" },
                { "{}", "exactly one input" },
                { """{"inputs": []}""", "exactly one input" },
                { $$"""{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["{{png}}"]}, {"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["{{png}}"]}]}""", "exactly one input" },
                { """{"inputs": [{"name": "input0", "shape": [1], "datatype": "BYTES", "data": ["AA=="]}]}""", "no input 'input0'" },
                { """{"inputs": [{"shape": [1], "datatype": "BYTES", "data": ["AA=="]}]}""", "no name" },
                { """{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES"}]}""", "needs a name, shape, datatype and data" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP64", "data": [{{pixels}}]}]}""", "datatype FP32, not FP64" },
                { $$"""{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "STRING", "data": ["{{png}}"]}]}""", "datatype BYTES, not STRING" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 784], "datatype": "FP32", "data": [{{pixels}}]}]}""", "shape [N,1,28,28], not [1,784]" },
                { $$"""{"inputs": [{"name": "image", "shape": [0, 1, 28, 28], "datatype": "FP32", "data": []}]}""", "holds no image" },
                { $$"""{"inputs": [{"name": "image", "shape": [2, 1, 28, 28], "datatype": "FP32", "data": [{{pixels}}]}]}""", "has 784 elements; its shape [2,1,28,28] holds 1568" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": [{{pixels}}, 0.5]}]}""", "more than the 784 elements" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": [255, {{pixels[4..]}}]}]}""", "Element 0 of the input 'image' is 255" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": [1.01, {{pixels[4..]}}]}]}""", "Element 0 of the input 'image' is 1.01" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": [-0.01, {{pixels[4..]}}]}]}""", "Element 0 of the input 'image' is -0.01" },
                { $$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": ["0.5", {{pixels[4..]}}]}]}""", "numbers in [0, 1]" },
                { $$$"""{"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": {"values": [{{{pixels}}}]}}]}""", "not a JSON array" },
                { $$"""{"inputs": [{"name": "image", "shape": [33, 1, 28, 28], "datatype": "FP32", "data": []}]}""", "at most 32" },
                { """{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["not base64!"]}]}""", "not valid base64" },
                { """{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": [42]}]}""", "not a string" },
                { $$"""{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["{{png}}"]}], "outputs": [{"name": "logits"}]}""", "no output 'logits'" },
                { $$"""{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["{{png}}"]}], "outputs": [{"name": "digit"}, {"name": "digit"}]}""", "requested twice" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task MalformedRequests_Are400_InTheErrorForm(string body, string expected)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync(InferPath, new StringContent(body, Encoding.UTF8, "application/json"));

        string error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "inference_error_response");
        Assert.Contains(expected, error);
    }

    public static TheoryData<string, int> ImageProblems => new()
    {
        { "corrupt", StatusCodes.Corrupt },
        { "blank", StatusCodes.NoDigit },
        { "tiff", StatusCodes.UnsupportedFormat },
        { "huge", StatusCodes.TooManyPixels },
        { "empty", StatusCodes.Corrupt },
    };

    [Theory]
    [MemberData(nameof(ImageProblems))]
    public async Task ImageProblems_HaveTheStatusOfV1_InTheErrorForm(string kind, int status)
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] image = kind switch
        {
            "corrupt" => TestImages.CorruptPng(),
            "blank" => TestImages.BlankPng(),
            "tiff" => TestImages.TiffHeader(),
            "huge" => TestImages.DigitPng(600, 600), // 360,000 pixels, over the tests' limit of 250,000
            _ => [],
        };

        using HttpResponseMessage v2 = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { BytesInput(TestImages.DigitPng(), image) } });

        string error = await AssertErrorAsync(v2, (HttpStatusCode)status, "inference_error_response");
        Assert.StartsWith("Image 1 of 'image_bytes': ", error);
        if (image.Length > 0)
        {
            using HttpResponseMessage v1 = await client.PostAsync($"/v1/classify?model={Model}", ClassifyApiTests.Raw(image, "application/octet-stream"));
            Assert.Equal(v1.StatusCode, v2.StatusCode);
        }
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryV2Endpoint_UnderTheProtocolTag_WithASummary()
    {
        HttpClient client = app.CreateClient();
        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        JsonElement paths = document.RootElement.GetProperty("paths");

        (string Path, string Method)[] expected =
        [
            ("/v2", "get"), ("/v2/health/live", "get"), ("/v2/health/ready", "get"),
            ("/v2/models/{name}", "get"), ("/v2/models/{name}/versions/{version}", "get"),
            ("/v2/models/{name}/ready", "get"), ("/v2/models/{name}/versions/{version}/ready", "get"),
            ("/v2/models/{name}/infer", "post"), ("/v2/models/{name}/versions/{version}/infer", "post"),
        ];
        Assert.Equal(expected.Select(e => e.Path).Order(), paths.EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/v2", StringComparison.Ordinal)).Order());
        foreach ((string path, string method) in expected)
        {
            JsonElement operation = paths.GetProperty(path).GetProperty(method);
            Assert.Equal(["Open Inference Protocol"], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), path);
        }
        JsonElement infer = paths.GetProperty("/v2/models/{name}/infer").GetProperty("post");
        JsonElement request = infer.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["inputs"], request.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["name", "shape", "datatype", "data"],
            request.GetProperty("properties").GetProperty("inputs").GetProperty("items").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["200", "400", "404", "413", "415", "422", "503"], infer.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
    }

    [Fact]
    public void SchemaValidation_RejectsBodiesThatBreakTheSpecification()
    {
        // The validator must be able to fail: these break the spec's required fields and types.
        Assert.False(Evaluate("""{"model_name": "m", "id": "1"}""", "inference_response"));
        Assert.False(Evaluate("""{"model_name": "m", "outputs": [{"name": "digit", "shape": ["1"], "datatype": "INT64", "data": [7]}]}""", "inference_response"));
        Assert.False(Evaluate("""{"model_name": "m", "id": null, "outputs": []}""", "inference_response"));
        Assert.False(Evaluate("""{"name": "m", "inputs": [{"name": "image", "shape": [1]}], "platform": "onnx_onnxv1"}""", "metadata_model_response"));
        Assert.False(Evaluate("""{"name": "s", "version": "1"}""", "metadata_server_response"));
        Assert.False(Evaluate("""{"error": 42}""", "inference_error_response"));
        Assert.True(Evaluate("""{"model_name": "m", "outputs": [{"name": "p", "shape": [1, 2], "datatype": "FP32", "data": [[0.5, 0.5]]}]}""", "inference_response"));
    }

    private static bool Evaluate(string body, string schema)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return InferenceProtocolSpec.Evaluate(document.RootElement, schema).IsValid;
    }

    /// <summary>The 784 floats the networks see for <paramref name="png"/>, as POST /v1/classify/compare reports them.</summary>
    internal static async Task<float[]> SeenImageAsync(HttpClient client, byte[] png)
    {
        using HttpResponseMessage response = await client.PostAsync("/v1/classify/compare", ClassifyApiTests.Raw(png, "image/png"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ComparisonResult comparison = (await response.Content.ReadFromJsonAsync<ComparisonResult>())!;
        Assert.Equal(DigitModel.ImageSize, comparison.Image.Count);
        return comparison.Image.ToArray();
    }

    internal static object Fp32Input(IReadOnlyList<float[]> images) => new
    {
        name = "image",
        shape = new[] { images.Count, 1, DigitModel.ImageSide, DigitModel.ImageSide },
        datatype = "FP32",
        data = images.SelectMany(image => image).ToArray(),
    };

    internal static object BytesInput(params byte[][] files) => new
    {
        name = "image_bytes",
        shape = new[] { files.Length },
        datatype = "BYTES",
        data = files.Select(Convert.ToBase64String).ToArray(),
    };

    internal static float[] Blank() => new float[DigitModel.ImageSize];

    /// <summary>The 200 body of an inference, checked against the spec's <c>inference_response</c>.</summary>
    internal static async Task<JsonElement> ReadInferenceAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        InferenceProtocolSpec.AssertValid(body, "inference_response");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Checks an error's status and its body against <paramref name="schema"/>; returns the message.</summary>
    internal static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string schema)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        InferenceProtocolSpec.AssertValid(body, schema);
        string? error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    internal static T[] Data<T>(JsonElement response, string output) =>
        response.GetProperty("outputs").EnumerateArray()
            .Single(o => o.GetProperty("name").GetString() == output)
            .GetProperty("data").Deserialize<T[]>()!;

    internal static string Describe(JsonElement tensor) =>
        $"{tensor.GetProperty("name").GetString()} {tensor.GetProperty("datatype").GetString()} " +
        $"[{string.Join(",", tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]";

    private static async Task<string> GetOkAsync(HttpClient client, string path, string schema)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200 from {path}, got {(int)response.StatusCode}: {body}");
        InferenceProtocolSpec.AssertValid(body, schema);
        return body;
    }

    private static class StatusCodes
    {
        public const int Corrupt = 400;
        public const int TooManyPixels = 413;
        public const int UnsupportedFormat = 415;
        public const int NoDigit = 422;
    }
}
