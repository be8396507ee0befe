using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Training.Data;
using static Tests.Api.InferenceProtocolTests;

namespace Tests.Api;

/// <summary>The trained models through the Open Inference Protocol, as a KServe or Triton client would call them.</summary>
public sealed class InferenceProtocolCommittedModelsTests(CommittedModelsApplication application) : IClassFixture<CommittedModelsApplication>
{
    private const string Model = "enhanced-relu_softsign";
    private const string InferPath = "/v2/models/" + Model + "/infer";

    [Fact]
    public async Task APhotographedSeven_IsASeven_AsBytesAndAsTheImageTheNetworkSees()
    {
        HttpClient client = await application.CreateLoadedClientAsync();
        byte[] png = File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "scripts", "digit-7.png"));

        using HttpResponseMessage bytes = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { BytesInput(png) } });
        using HttpResponseMessage fp32 = await client.PostAsJsonAsync(InferPath, new { inputs = new[] { Fp32Input([await SeenImageAsync(client, png)]) } });
        using HttpResponseMessage v1 = await client.PostAsync($"/v1/classify?model={Model}", ClassifyApiTests.Raw(png, "image/png"));

        ClassificationResult expected = (await v1.Content.ReadFromJsonAsync<ClassificationResult>())!;
        Assert.Equal(7, expected.Digit);
        foreach (HttpResponseMessage response in new[] { bytes, fp32 })
        {
            JsonElement root = await ReadInferenceAsync(response);
            Assert.Equal([7L], Data<long>(root, "digit"));
            Assert.Equal(expected.Probabilities, Data<float>(root, "probabilities"));
        }
    }

    [Fact]
    public async Task MnistTestDigits_SentAsFp32Tensors_AreClassifiedAsTheirLabels()
    {
        HttpClient client = await application.CreateLoadedClientAsync();
        DigitDataset test = RepositoryFiles.MnistSplits.Test;
        const int count = 32;
        // MNIST already is white ink on black, 28×28 and centred: scaled to [0, 1] it is what the networks expect.
        float[][] images = Enumerable.Range(0, count).Select(i => test.Image(i).ToArray().Select(b => b / 255f).ToArray()).ToArray();

        using HttpResponseMessage response = await client.PostAsJsonAsync(InferPath, new
        {
            id = "mnist",
            inputs = new[] { Fp32Input(images) },
            outputs = new[] { new { name = "digit" } },
        });

        JsonElement root = await ReadInferenceAsync(response);
        long[] digits = Data<long>(root, "digit");
        int correct = digits.Where((digit, i) => digit == test.Labels[i]).Count();
        // The model's card reports over 99 % test accuracy; 32 digits may hold one it gets wrong.
        Assert.True(correct >= count - 1, $"{correct} of {count} correct: {string.Join(",", digits)} for {string.Join(",", test.Labels[..count])}");
    }
}
