using System.Net.Http.Headers;
using System.Text;
using Contracts;
using static Tests.Api.ClassifyApiTests;
using static Tests.Api.CompareApiTests;

namespace Tests.Api;

public sealed class BatchApiTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    private static MultipartFormDataContent Form(params (byte[] Image, string FileName)[] images)
    {
        var form = new MultipartFormDataContent();
        foreach ((byte[] image, string fileName) in images)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image", fileName);
        }
        return form;
    }

    [Fact]
    public async Task Each_image_gets_its_own_answer_in_order()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] digit = TestImages.DigitPng();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/batch?model=baseline-relu",
            Form((digit, "a.png"), (TestImages.BlankPng(), "blank.png"), (TestImages.CorruptPng(), "broken.png"), (digit, "b.png")));
        BatchClassificationResult result = await ReadAsync<BatchClassificationResult>(response);
        using HttpResponseMessage alone = await client.PostAsync("/v1/classify?model=baseline-relu", Raw(digit, "image/png"));
        ClassificationResult single = await ReadAsync<ClassificationResult>(alone);

        Assert.Equal("baseline-relu", result.Model);
        Assert.Equal(2, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Equal([0, 1, 2, 3], result.Items.Select(i => i.Index));
        Assert.Equal(["a.png", "blank.png", "broken.png", "b.png"], result.Items.Select(i => i.FileName));
        Assert.Equal(single.Probabilities, result.Items[0].Result!.Probabilities);
        Assert.Equal(single.Probabilities, result.Items[3].Result!.Probabilities);
        Assert.Null(result.Items[0].Problem);
        Assert.Null(result.Items[1].Result);
        Assert.Equal((ProblemAssert.TypePrefix + "digit-not-found", 422), (result.Items[1].Problem!.Type, result.Items[1].Problem!.Status));
        Assert.Equal((ProblemAssert.TypePrefix + "image-corrupt", 400), (result.Items[2].Problem!.Type, result.Items[2].Problem!.Status));
        Assert.False(string.IsNullOrWhiteSpace(result.Items[2].Problem!.Detail));
    }

    [Fact]
    public async Task More_images_than_the_limit_fail_the_whole_request()
    {
        await using ApiApplication limited = ApiApplication.ForModels(
            ApiApplication.GeneratedModelsDirectory, new Dictionary<string, string> { ["Classification:MaxBatchImages"] = "2" });
        HttpClient client = await limited.CreateLoadedClientAsync();
        byte[] digit = TestImages.DigitPng();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/batch", Form((digit, "1.png"), (digit, "2.png"), (digit, "3.png")));

        Assert.Contains("MaxBatchImages = 2", await ProblemAssert.IsProblemAsync(response, 400, "too-many-images"));
    }

    [Fact]
    public async Task A_raw_body_is_not_a_batch()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/batch", Raw(TestImages.DigitPng(), "image/png"));

        await ProblemAssert.IsProblemAsync(response, 415, "media-type-unsupported");
    }

    [Fact]
    public async Task An_unknown_model_fails_the_whole_batch()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/batch?model=nope", Form((TestImages.DigitPng(), "a.png")));

        await ProblemAssert.IsProblemAsync(response, 400, "model-unknown");
    }

    [Fact]
    public async Task A_second_image_field_on_the_single_endpoint_is_refused_not_ignored()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] digit = TestImages.DigitPng();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Form((digit, "a.png"), (digit, "b.png")));

        Assert.Contains("/v1/classify/batch", await ProblemAssert.IsProblemAsync(response, 400, "too-many-images"));
    }

    [Fact]
    public async Task A_line_break_in_a_file_name_is_a_malformed_part_not_a_missing_field()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        const string boundary = "b0undary";
        byte[] head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"di\r\ngit.png\"\r\nContent-Type: image/png\r\n\r\n");
        byte[] tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var content = new ByteArrayContent([.. head, .. TestImages.DigitPng(), .. tail]);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", content);

        await ProblemAssert.IsProblemAsync(response, 400, "multipart-malformed");
    }
}
