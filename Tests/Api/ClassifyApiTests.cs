using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Contracts;

namespace Tests.Api;

public sealed class ClassifyApiTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    private const float SumTolerance = 1e-4f;

    [Fact]
    public async Task Multipart_WithImageField_ReturnsAClassificationFromTheDefaultModel()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Multipart(TestImages.DigitPng()));

        ClassificationResult result = await ReadResultAsync(response);
        Assert.Equal(10, result.Probabilities.Count);
        Assert.InRange(result.Probabilities.Sum(), 1 - SumTolerance, 1 + SumTolerance);
        Assert.All(result.Probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(result.Probabilities.Max(), result.Probabilities[result.Digit]);
        Assert.Equal(result.Probabilities[result.Digit], result.Confidence);
        Assert.Equal(ApiApplication.DefaultModel, result.Model);
        Assert.Equal("relu", result.Activation);
        Assert.Equal("cpu", result.Device);
    }

    [Fact]
    public async Task RawBody_GivesTheSameAnswerAsMultipart()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] png = TestImages.DigitPng();

        using HttpResponseMessage multipart = await client.PostAsync("/v1/classify", Multipart(png));
        using HttpResponseMessage raw = await client.PostAsync("/v1/classify", Raw(png, "image/png"));

        ClassificationResult fromMultipart = await ReadResultAsync(multipart);
        ClassificationResult fromRaw = await ReadResultAsync(raw);
        Assert.Equal(fromMultipart.Model, fromRaw.Model);
        Assert.Equal(fromMultipart.Digit, fromRaw.Digit);
        Assert.Equal(fromMultipart.Probabilities, fromRaw.Probabilities);
    }

    [Fact]
    public async Task OctetStreamBody_IsAcceptedAndItsFormatDetected()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), "application/octet-stream"));

        Assert.Equal(ApiApplication.DefaultModel, (await ReadResultAsync(response)).Model);
    }

    [Theory]
    [InlineData("relu", "enhanced-relu")] // the enhanced model, though baseline-relu (0.97) and seed2-relu (0.95) score higher
    [InlineData("RELU_SOFTSIGN", "enhanced-relu_softsign")]
    [InlineData("leaky_relu", "baseline-leaky_relu")] // no enhanced model: the most accurate of the others
    [InlineData("noisy_relu", "baseline-noisy_relu")]
    [InlineData("softsign", "baseline-softsign")]
    public async Task Activation_SelectsThatActivationsEnhancedModel_ElseItsMostAccurate(string activation, string expectedModel)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync($"/v1/classify?activation={activation}", Raw(TestImages.DigitPng(), "image/png"));

        ClassificationResult result = await ReadResultAsync(response);
        Assert.Equal(expectedModel, result.Model);
        Assert.Equal(activation.ToLowerInvariant(), result.Activation);
    }

    [Fact]
    public async Task Model_SelectsThatModel_AndDifferentModelsAnswerDifferently()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] png = TestImages.DigitPng();

        using HttpResponseMessage second = await client.PostAsync("/v1/classify?model=seed2-relu&activation=relu", Raw(png, "image/png"));
        using HttpResponseMessage best = await client.PostAsync("/v1/classify?model=baseline-relu", Raw(png, "image/png"));

        ClassificationResult fromSecond = await ReadResultAsync(second);
        ClassificationResult fromBest = await ReadResultAsync(best);
        Assert.Equal("seed2-relu", fromSecond.Model);
        Assert.Equal("baseline-relu", fromBest.Model);
        Assert.NotEqual(fromSecond.Probabilities, fromBest.Probabilities);
    }

    internal static MultipartFormDataContent Multipart(byte[] image, string field = "image", string mediaType = "image/png")
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new MultipartFormDataContent { { file, field, "digit.png" } };
    }

    internal static ByteArrayContent Raw(byte[] body, string? mediaType)
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }
        return content;
    }

    private static async Task<ClassificationResult> ReadResultAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        ClassificationResult? result = await response.Content.ReadFromJsonAsync<ClassificationResult>();
        Assert.NotNull(result);
        return result;
    }
}
