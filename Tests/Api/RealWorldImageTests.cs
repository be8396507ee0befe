using System.Net.Http.Headers;
using System.Net.Http.Json;
using Contracts;
using Training.Data;
using Xunit.Abstractions;

namespace Tests.Api;

/// <summary>
/// Held-out MNIST digits dressed up as real uploads (see <see cref="DigitImages"/>) must still be read
/// correctly by the default model: the preprocessing makes each look like MNIST again.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class RealWorldImageTests(CommittedModelsApplication application, ITestOutputHelper output) : IClassFixture<CommittedModelsApplication>
{
    private const int Digits = 200;

    /// <summary>The share of the digits that must be read correctly; the raw 28×28 digits reach about 98 %.</summary>
    private const double RequiredAccuracy = 0.96;

    public static TheoryData<string> Kinds() => ["mnist", "photo", "off-centre", "transparent-canvas"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Dressed_up_digits_are_classified_correctly(string kind)
    {
        HttpClient client = await application.CreateLoadedClientAsync();
        DigitDataset test = RepositoryFiles.MnistSplits.Test;

        var correct = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Digits), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            (byte[] bytes, string mediaType) = kind switch
            {
                "mnist" => (DigitImages.MnistPng(test.Image(i)), "image/png"),
                "photo" => (DigitImages.PhotoJpeg(test.Image(i), seed: i), "image/jpeg"),
                "off-centre" => (DigitImages.OffCentrePng(test.Image(i)), "image/png"),
                _ => (DigitImages.TransparentCanvasPng(test.Image(i)), "image/png"),
            };
            using var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            using HttpResponseMessage response = await client.PostAsync("/v1/classify", body, token);
            response.EnsureSuccessStatusCode();
            ClassificationResult result = (await response.Content.ReadFromJsonAsync<ClassificationResult>(token))!;
            if (result.Digit == test.Labels[i])
            {
                Interlocked.Increment(ref correct);
            }
        });

        double accuracy = (double)correct / Digits;
        output.WriteLine($"{kind}: {correct} of {Digits} correct ({accuracy:P1})");
        Assert.True(accuracy >= RequiredAccuracy, $"{kind}: {correct} of {Digits} correct ({accuracy:P1}), below {RequiredAccuracy:P0}.");
    }
}
