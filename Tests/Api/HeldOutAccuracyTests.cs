using System.Net.Http.Headers;
using System.Net.Http.Json;
using Contracts;
using Engine.Data;

namespace Tests.Api;

/// <summary>
/// The whole product on the 2,000 held-out MNIST digits: each is sent over HTTP as a PNG file, and the
/// accuracy the API achieves must be exactly the one its model card reports.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class HeldOutAccuracyTests(CommittedModelsApplication application) : IClassFixture<CommittedModelsApplication>
{
    private const int ConcurrentRequests = 8;

    public static TheoryData<string> ModelNames() =>
        new(Directory.EnumerateFiles(RepositoryFiles.ModelsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public async Task Accuracy_over_http_equals_the_model_cards(string model)
    {
        HttpClient client = await application.CreateLoadedClientAsync();
        ModelCard card = (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{model}"))!.Card!;
        DigitDataset test = RepositoryFiles.MnistSplits.Test;
        Assert.Equal(test.Count, card.Split.Test);

        var correct = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, test.Count), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentRequests }, async (i, token) =>
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(DigitImages.MnistPng(test.Image(i)));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image", $"digit-{i}.png");
            using HttpResponseMessage response = await client.PostAsync($"/v1/classify?model={model}", form, token);
            response.EnsureSuccessStatusCode();
            ClassificationResult result = (await response.Content.ReadFromJsonAsync<ClassificationResult>(token))!;
            if (result.Digit == test.Labels[i])
            {
                Interlocked.Increment(ref correct);
            }
        });

        Assert.Equal(Math.Round(card.TestAccuracy * test.Count), correct);
    }
}
