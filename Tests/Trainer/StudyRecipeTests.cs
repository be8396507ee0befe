using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Study;
using Training.Pipeline;

namespace Tests.Trainer;

/// <summary>A cell's key covers everything that shapes its result, and only that.</summary>
public sealed class StudyRecipeTests
{
    private static readonly JsonSerializerOptions web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void CanonicalJson_HasSortedPropertiesAndShortestNumbers_AndTheKeyIsItsSha256()
    {
        StudyRecipe recipe = StudyCellFactory.Recipe();

        string canonical = recipe.CanonicalJson();

        Assert.Equal(
            "{\"activation\":\"relu\",\"architecture\":\"baseline\",\"architectureDescription\":\"the baseline network\",\"batchSize\":32," +
            $"\"codeVersion\":{StudyRecipe.CurrentCodeVersion},\"dataChecksum\":\"{StudyCellFactory.Checksum}\",\"dataset\":\"mnist\",\"dropout\":0,\"epochs\":3," +
            "\"experiment\":\"standard\",\"imageLimit\":null,\"kind\":\"Standard\",\"learningRate\":0.005,\"maxRotationDegrees\":0,\"maxScale\":0,\"maxShift\":2," +
            "\"patience\":0,\"preprocessing\":\"digit-normalised\",\"seed\":1,\"splitSeed\":20240601,\"weightDecay\":0.05}",
            canonical);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), recipe.Key);
        Assert.Equal(recipe.Key, (recipe with { }).Key);
    }

    [Fact]
    public void EveryPropertyOfTheRecipe_ChangesTheKey_AndIsNamedAsTheDifference()
    {
        StudyRecipe recipe = StudyCellFactory.Recipe();
        JsonObject json = JsonSerializer.SerializeToNode(recipe, web)!.AsObject();
        var names = json.Select(property => property.Key).ToList();
        Assert.Equal(typeof(StudyRecipe).GetConstructors().Single().GetParameters().Length, names.Count);

        foreach (string name in names)
        {
            JsonObject changed = json.DeepClone().AsObject();
            changed[name] = json[name] switch
            {
                null => JsonValue.Create(1),
                JsonValue value when value.TryGetValue(out int number) => JsonValue.Create(number + 1),
                JsonValue value when value.TryGetValue(out double number) => JsonValue.Create(number + 0.5),
                JsonValue value when name == "kind" => JsonValue.Create(nameof(ExperimentKind.HighLearningRate)),
                JsonValue value => JsonValue.Create(value.GetValue<string>() + "x"),
                _ => throw new InvalidOperationException(name),
            };
            StudyRecipe other = changed.Deserialize<StudyRecipe>(web)!;

            Assert.NotEqual(recipe.Key, other.Key);
            Assert.StartsWith(name + ": ", Assert.Single(recipe.Differences(other)));
        }
    }

    [Fact]
    public void EveryTrainingOption_IsInTheRecipe_AndComesBackFromIt()
    {
        var recipeProperties = typeof(StudyRecipe).GetProperties().Select(p => p.Name).ToHashSet();
        foreach (PropertyInfo option in typeof(TrainingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            Assert.Contains(option.Name, recipeProperties);

        StudyRecipe recipe = StudyCellFactory.Recipe(seed: 4, epochs: 7, learningRate: 0.025f) with { MaxRotationDegrees = 10, MaxScale = 0.1f, Patience = 3, WeightDecay = 0.01f, BatchSize = 64 };
        Assert.Equal(
            new TrainingOptions { Epochs = 7, BatchSize = 64, LearningRate = 0.025f, WeightDecay = 0.01f, MaxShift = 2, MaxRotationDegrees = 10, MaxScale = 0.1f, Patience = 3, Seed = 4 },
            recipe.Options);
    }

    [Fact]
    public void Slot_NamesExperimentDatasetNetworkActivationAndSeed()
    {
        Assert.Equal("lr-0.025/fashion/narrow/elu/seed3",
            StudyCellFactory.Recipe("elu", 3, "lr-0.025", ExperimentKind.LearningRateSweep, "fashion", "narrow").Slot);
    }

    [Fact]
    public void Differences_ListsEachChangedProperty()
    {
        StudyRecipe recipe = StudyCellFactory.Recipe();

        Assert.Equal(["epochs: 3 → 15", "learningRate: 0.005 → 0.001"], recipe.Differences(recipe with { Epochs = 15, LearningRate = 0.001f }));
        Assert.Empty(recipe.Differences(recipe with { }));
    }
}
