using System.Net;
using System.Text.Json;

namespace Tests.Api;

public sealed class OpenApiTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Document_DescribesClassify_WithAMultipartImageFileAndRawImageBodies()
    {
        using JsonDocument document = await GetDocumentAsync();
        JsonElement classify = document.RootElement.GetProperty("paths").GetProperty("/v1/classify").GetProperty("post");

        Assert.Equal("Classify", classify.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(classify.GetProperty("summary").GetString()));
        Assert.Contains("multipart/form-data", classify.GetProperty("description").GetString());
        Assert.Equal("Classification", classify.GetProperty("tags")[0].GetString());

        JsonElement content = classify.GetProperty("requestBody").GetProperty("content");
        JsonElement image = content.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("image");
        Assert.Equal("string", image.GetProperty("type").GetString());
        Assert.Equal("binary", image.GetProperty("format").GetString());
        Assert.Equal("binary", content.GetProperty("image/png").GetProperty("schema").GetProperty("format").GetString());
        Assert.True(content.TryGetProperty("image/jpeg", out _));

        JsonElement parameters = classify.GetProperty("parameters");
        Assert.Contains(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "activation" && p.GetProperty("in").GetString() == "query");
        Assert.Contains(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "model");
    }

    [Fact]
    public async Task Document_ListsEveryClassifyOutcome_WithExamples()
    {
        using JsonDocument document = await GetDocumentAsync();
        JsonElement responses = document.RootElement.GetProperty("paths").GetProperty("/v1/classify").GetProperty("post").GetProperty("responses");

        Assert.Equal(["200", "400", "413", "415", "422", "503"], responses.EnumerateObject().Select(r => r.Name).Order());
        JsonElement example = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(7, example.GetProperty("digit").GetInt32());
        Assert.Equal(10, example.GetProperty("probabilities").GetArrayLength());
        JsonElement problemExample = responses.GetProperty("422").GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
        Assert.Equal(ProblemAssert.TypePrefix + "digit-not-found", problemExample.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/v1/models", "get", "ListModels")]
    [InlineData("/v1/models/{name}", "get", "GetModel")]
    [InlineData("/v1/activations", "get", "ListActivations")]
    public async Task Document_DescribesTheOtherEndpoints(string path, string method, string operationId)
    {
        using JsonDocument document = await GetDocumentAsync();

        JsonElement operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task SwaggerUi_IsServed_AndPointsAtTheDocument()
    {
        HttpClient client = app.CreateClient();

        using HttpResponseMessage page = await client.GetAsync("/swagger/index.html");
        string html = await page.Content.ReadAsStringAsync();
        string script = await client.GetStringAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", html);
        Assert.Contains("/openapi/v1.json", html + script);
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        HttpClient client = app.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
    }
}
