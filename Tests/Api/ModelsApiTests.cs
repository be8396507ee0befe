using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Engine.Activations;

namespace Tests.Api;

public sealed class ModelsApiTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task Models_ListsEveryCardOrderedByName()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        ModelInfo[]? models = await client.GetFromJsonAsync<ModelInfo[]>("/v1/models");

        Assert.NotNull(models);
        Assert.All(models, m => Assert.Equal("ready", m.State));
        Assert.Equal(ApiApplication.DefaultModel, Assert.Single(models, m => m.Default).Name);
        ModelCard[] cards = models.Select(m => m.Card!).ToArray();
        Assert.Equal(ApiApplication.Models.Select(m => m.Name).Order(StringComparer.Ordinal), cards.Select(c => c.Name));
        ModelCard best = Assert.Single(cards, c => c.Name == ApiApplication.MostAccurateModel);
        Assert.Equal(0.98, best.TestAccuracy);
        Assert.Equal("relu_softsign", best.Activation);
        Assert.Equal("enhanced", Assert.Single(cards, c => c.Name == ApiApplication.DefaultModel).Architecture);
    }

    [Fact]
    public async Task Model_ByName_IsItsCard_CaseInsensitively()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        ModelInfo? model = await client.GetFromJsonAsync<ModelInfo>("/v1/models/SEED2-RELU");

        Assert.NotNull(model);
        Assert.Equal("managed", model.Backend);
        ModelCard card = model.Card!;
        Assert.Equal("seed2-relu", card.Name);
        Assert.Equal("relu", card.Activation);
        Assert.Equal(0.95, card.TestAccuracy);
    }

    [Fact]
    public async Task Model_ByName_ReportsItsDeadDormantAndCollapsedUnits_NowAndThroughTraining()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.GetAsync("/v1/models/enhanced-relu");
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement units = Assert.Single(json.RootElement.GetProperty("card").GetProperty("units").EnumerateArray());
        Assert.Equal("conv1", units.GetProperty("layer").GetString());
        Assert.Equal(16, units.GetProperty("units").GetInt32());
        Assert.Equal(4, units.GetProperty("dead").GetInt32());
        Assert.Equal(2, units.GetProperty("dormant").GetInt32());
        Assert.Equal(0.25, units.GetProperty("deadFraction").GetDouble(), 10);
        Assert.Equal(0.125, units.GetProperty("dormantFraction").GetDouble(), 10);
        Assert.Equal(3, units.GetProperty("collapsed").GetInt32());
        Assert.Equal(0.1875, units.GetProperty("collapsedFraction").GetDouble(), 10);
        Assert.Equal([0, 1], json.RootElement.GetProperty("card").GetProperty("unitHistory").EnumerateArray().Select(s => s.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public async Task UnknownModel_Is404_AndListsTheModels()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.GetAsync("/v1/models/no-such-model");

        string detail = await ProblemAssert.IsProblemAsync(response, 404, "model-not-found");
        Assert.Contains("'no-such-model'", detail);
        Assert.Contains(ApiApplication.DefaultModel, detail);
    }

    [Fact]
    public async Task Activations_DescribeEveryActivationAndTheModelsUsingIt()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        ActivationInfo[]? activations = await client.GetFromJsonAsync<ActivationInfo[]>("/v1/activations");

        Assert.NotNull(activations);
        Assert.Equal(ActivationFunctions.Ids, activations.Select(a => a.Id));
        ActivationInfo relu = activations.Single(a => a.Id == "relu");
        Assert.Equal(["baseline-relu", "enhanced-relu", "seed2-relu"], relu.Models);
        Assert.Equal(ActivationFunctions.Relu.Formula, relu.Formula);
        Assert.Equal(ActivationFunctions.Relu.DerivativeFormula, relu.Derivative);
        Assert.Equal(ActivationFunctions.Relu.Name, relu.Name);
        Assert.Empty(activations.Single(a => a.Id == ApiApplication.ActivationWithoutModel).Models);
        Assert.Equal(["baseline-relu_softsign", "enhanced-relu_softsign"], activations.Single(a => a.Id == "relu_softsign").Models);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblem()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
