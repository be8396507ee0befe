using System.Net;
using System.Net.Http.Headers;
using Engine.Activations;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>Every client mistake gets its own status and problem type, never a 500.</summary>
public sealed class ClassifyErrorTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    private const long DefaultMaxRequestBytes = 5L * 1024 * 1024;

    [Fact]
    public async Task EmptyRawBody_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw([], "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "image-empty");
        Assert.Contains("empty", detail);
    }

    [Fact]
    public async Task NoBodyAndNoContentType_Is400_AndSaysHowToSendTheImage()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", null);

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "image-empty");
        Assert.Contains("multipart/form-data", detail);
        Assert.Contains("image/png", detail);
    }

    [Fact]
    public async Task EmptyImageFile_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Multipart([]));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "image-empty");
        Assert.Contains("'image'", detail);
    }

    [Fact]
    public async Task MultipartWithoutImageField_Is400_AndNamesTheField()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Multipart(TestImages.DigitPng(), field: "file"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "image-field-missing");
        Assert.Contains("'image'", detail);
    }

    [Fact]
    public async Task MultipartWithoutBoundary_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        var content = new ByteArrayContent(TestImages.DigitPng());
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", content);

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "multipart-malformed");
        Assert.Contains("boundary", detail);
    }

    [Fact]
    public async Task TruncatedMultipart_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using MultipartFormDataContent multipart = Multipart(TestImages.DigitPng());
        byte[] body = await multipart.ReadAsByteArrayAsync();
        var content = new ByteArrayContent(body[..(body.Length / 3)]);
        content.Headers.ContentType = multipart.Headers.ContentType;

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", content);

        await ProblemAssert.IsProblemAsync(response, 400, "multipart-malformed");
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    [InlineData(null)] // multipart
    public async Task BytesThatAreNoImage_Are415_AndListTheAcceptedFormats(string? mediaType)
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] text = "this is not an image, just some text"u8.ToArray();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", mediaType is null ? Multipart(text) : Raw(text, mediaType));

        string detail = await ProblemAssert.IsProblemAsync(response, 415, "image-format-unsupported");
        Assert.Contains("PNG", detail);
        Assert.Contains("JPEG", detail);
    }

    [Fact]
    public async Task TiffBytes_Are415()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.TiffHeader(), "application/octet-stream"));

        await ProblemAssert.IsProblemAsync(response, 415, "image-format-unsupported");
    }

    [Fact]
    public async Task CorruptImageOfAKnownFormat_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.CorruptPng(), "image/png"));

        await ProblemAssert.IsProblemAsync(response, 400, "image-corrupt");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("image/tiff")]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task UnsupportedContentType_Is415_AndListsTheAcceptedTypes(string mediaType)
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), mediaType));

        string detail = await ProblemAssert.IsProblemAsync(response, 415, "media-type-unsupported");
        Assert.Contains(mediaType, detail);
        Assert.Contains("multipart/form-data", detail);
        Assert.Contains("image/webp", detail);
    }

    [Fact]
    public async Task BodyWithoutContentType_Is415()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(), null));

        string detail = await ProblemAssert.IsProblemAsync(response, 415, "media-type-unsupported");
        Assert.Contains("no Content-Type", detail);
    }

    [Fact]
    public async Task RawBodyOverTheLimit_Is413()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(new byte[DefaultMaxRequestBytes + 1], "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 413, "request-too-large");
        Assert.Contains("5,242,880", detail);
    }

    [Fact]
    public async Task MultipartOverTheLimit_Is413()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Multipart(new byte[DefaultMaxRequestBytes]));

        await ProblemAssert.IsProblemAsync(response, 413, "request-too-large");
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", new UnknownLengthContent(DefaultMaxRequestBytes + 100_000, "image/png"));

        await ProblemAssert.IsProblemAsync(response, 413, "request-too-large");
    }

    [Fact]
    public async Task ImageOverThePixelLimit_Is413_BeforeDecoding()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        // 600 × 600 = 360,000 pixels > the tests' Classification:MaxPixels of 250,000.
        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(600, 600), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 413, "image-too-many-pixels");
        Assert.Contains("600", detail);
    }

    [Fact]
    public async Task ImageJustUnderThePixelLimit_IsClassified()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.DigitPng(500, 500), "image/png"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BlankImage_Is422()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(TestImages.BlankPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 422, "digit-not-found");
        Assert.Contains("digit", detail);
    }

    [Fact]
    public async Task UnknownActivation_Is400_AndListsValidIdsAndThoseWithModels()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify?activation=tanh", Raw(TestImages.DigitPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "activation-unknown");
        Assert.Contains("'tanh'", detail);
        Assert.All(ActivationFunctions.Ids, id => Assert.Contains(id, detail));
        string[] served = detail[(detail.IndexOf("serving model: ", StringComparison.Ordinal) + "serving model: ".Length)..]
            .TrimEnd('.').Split(", ");
        Assert.Equal(["relu", "leaky_relu", "noisy_relu", "softsign", "relu_softsign"], served);
    }

    [Fact]
    public async Task ActivationWithoutAModel_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync(
            $"/v1/classify?activation={ApiApplication.ActivationWithoutModel}", Raw(TestImages.DigitPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "activation-without-model");
        Assert.Contains($"'{ApiApplication.ActivationWithoutModel}'", detail);
        Assert.Contains("leaky_relu", detail);
    }

    [Fact]
    public async Task UnknownModel_Is400_AndListsTheModels()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify?model=nope", Raw(TestImages.DigitPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "model-unknown");
        Assert.Contains("seed2-relu", detail);
    }

    [Fact]
    public async Task ModelOfAnotherActivation_Is400()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync(
            "/v1/classify?model=baseline-relu&activation=softsign", Raw(TestImages.DigitPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "model-activation-mismatch");
        Assert.Contains("'relu'", detail);
    }
}
