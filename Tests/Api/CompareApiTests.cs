using System.Net;
using System.Net.Http.Json;
using Contracts;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

public sealed class CompareApiTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Compare_runs_every_activation_of_the_enhanced_network_by_default()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/compare", Multipart(TestImages.DigitPng()));
        ComparisonResult result = await ReadAsync<ComparisonResult>(response);

        Assert.Equal("enhanced", result.Architecture);
        Assert.Equal(["relu", "relu_softsign"], result.Results.Select(r => r.Activation));
        Assert.Equal(["enhanced-relu", "enhanced-relu_softsign"], result.Results.Select(r => r.Model));
        Assert.Equal(2, result.ModelCount);
        foreach (ActivationVerdict verdict in result.Results)
        {
            Assert.Equal(10, verdict.Probabilities.Count);
            Assert.Equal(1f, verdict.Probabilities.Sum(), 3);
            Assert.Equal(verdict.Probabilities.ToList().IndexOf(verdict.Probabilities.Max()), verdict.Digit);
            Assert.Equal(verdict.Probabilities[verdict.Digit], verdict.Confidence);
            Assert.Equal("managed", verdict.Backend);
            Assert.Equal(verdict.Digit == result.MajorityDigit, verdict.AgreesWithMajority);
        }
        Assert.Equal(result.Results.Count(r => r.Digit == result.MajorityDigit), result.Agreeing);
        Assert.Equal(784, result.Image.Count);
        Assert.All(result.Image, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(result.Image, v => v > 0.5f);
    }

    [Fact]
    public async Task Each_verdict_is_what_its_model_answers_alone()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] png = TestImages.DigitPng();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/compare?architecture=baseline", Raw(png, "image/png"));
        ComparisonResult result = await ReadAsync<ComparisonResult>(response);

        Assert.Equal(["relu", "leaky_relu", "noisy_relu", "softsign", "relu_softsign"], result.Results.Select(r => r.Activation));
        // seed2-relu is a baseline relu model too, but baseline-relu has the better validation accuracy.
        Assert.Equal("baseline-relu", result.Results[0].Model);
        foreach (ActivationVerdict verdict in result.Results)
        {
            using HttpResponseMessage alone = await client.PostAsync($"/v1/classify?model={verdict.Model}", Raw(png, "image/png"));
            ClassificationResult single = await ReadAsync<ClassificationResult>(alone);
            Assert.Equal(single.Probabilities, verdict.Probabilities);
            Assert.Equal(single.Digit, verdict.Digit);
        }
    }

    [Fact]
    public async Task An_architecture_without_serving_models_is_400_and_names_those_with()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/compare?architecture=resnet", Raw(TestImages.DigitPng(), "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "architecture-unknown");
        Assert.Contains("'resnet'", detail);
        Assert.Contains("baseline, enhanced", detail);
    }

    [Fact]
    public async Task A_blank_image_is_422_as_for_one_model()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify/compare", Raw(TestImages.BlankPng(), "image/png"));

        await ProblemAssert.IsProblemAsync(response, 422, "digit-not-found");
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        T? result = await response.Content.ReadFromJsonAsync<T>();
        Assert.NotNull(result);
        return result;
    }
}
