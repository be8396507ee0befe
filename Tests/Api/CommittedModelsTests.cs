using System.Net.Http.Json;
using Contracts;
using Engine.Activations;

namespace Tests.Api;

/// <summary>What the committed models are and which of them answers, as a user of the running service sees it.</summary>
public sealed class CommittedModelsTests(CommittedModelsApplication application) : IClassFixture<CommittedModelsApplication>
{
    [Fact]
    public async Task Every_served_activation_has_a_baseline_and_an_enhanced_model()
    {
        HttpClient client = await application.CreateLoadedClientAsync();

        ModelCard[] cards = (await client.GetFromJsonAsync<ModelInfo[]>("/v1/models"))!.Select(m => m.Card!).ToArray();

        Assert.Equal(
            ActivationFunctions.Served.SelectMany(a => new[] { $"baseline-{a.Id}", $"enhanced-{a.Id}" }).Order(StringComparer.Ordinal),
            cards.Select(c => c.Name));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("relu_softsign")]
    [InlineData("elu")]
    public async Task An_activation_is_served_by_its_enhanced_model(string activation)
    {
        HttpClient client = await application.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync($"/v1/classify?activation={activation}",
            ClassifyApiTests.Raw(File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "scripts", "digit-7.png")), "image/png"));

        ClassificationResult result = (await response.Content.ReadFromJsonAsync<ClassificationResult>())!;
        Assert.Equal($"enhanced-{activation}", result.Model);
        Assert.Equal(7, result.Digit);
    }

    [Theory]
    [InlineData("enhanced-relu", new[] { "conv1", "conv2", "dense1" })]
    [InlineData("enhanced-relu_softsign", new[] { "conv1", "conv2", "dense1" })]
    [InlineData("baseline-relu", new[] { "conv1" })]
    public async Task A_models_card_counts_dead_and_dormant_units_per_layer_from_initialisation_to_the_end(string model, string[] layers)
    {
        HttpClient client = await application.CreateLoadedClientAsync();

        ModelCard card = (await client.GetFromJsonAsync<ModelInfo>($"/v1/models/{model}"))!.Card!;

        Assert.Equal(layers, card.Units!.Select(u => u.Layer));
        Assert.All(card.Units!, u => Assert.InRange(u.Dead, 0, u.Units));
        Assert.All(card.Units!, u => Assert.InRange(u.Dormant, 0, u.Units));
        Assert.All(card.Units!, u => Assert.InRange(u.Collapsed ?? 0, 0, u.Units));
        // One snapshot at initialisation and one after every epoch trained.
        Assert.Equal(Enumerable.Range(0, card.Epochs + 1), card.UnitHistory!.Select(s => s.Epoch));
        Assert.All(card.UnitHistory!, s => Assert.Equal(layers, s.Layers.Select(l => l.Layer)));
        Assert.Equal(card.Units, card.UnitHistory![card.BestEpoch].Layers);
    }
}
