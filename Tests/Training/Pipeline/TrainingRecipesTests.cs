using System.Security.Cryptography;
using System.Text;
using Contracts;
using Engine.Activations;
using Engine.Networks;
using Training.Data;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

public sealed class TrainingRecipesTests
{
    private static readonly TrainingRecipe Recipe = new(
        "baseline", "relu",
        new TrainingSettings(Epochs: 2, BatchSize: 32, LearningRate: 0.005f, WeightDecay: 0.05f, MaxShift: 2, MaxRotationDegrees: 0, MaxScale: 0.1f, Patience: 0, Seed: 1),
        [new DataFileChecksum("train-images-idx3-ubyte", "ab"), new DataFileChecksum("t10k-images-idx3-ubyte", "cd")],
        new DatasetSplit(54_000, 6_000, 10_000, 20_240_601));

    [Fact]
    public void Settings_hold_every_training_option_so_a_card_gives_back_the_options_it_was_trained_with()
    {
        var options = new TrainingOptions
        {
            Epochs = 7, BatchSize = 48, LearningRate = 3e-3f, WeightDecay = 0.01f, MaxShift = 1,
            MaxRotationDegrees = 12.5f, MaxScale = 0.15f, Patience = 3, Seed = 42,
        };

        Assert.Equal(options, options.ToSettings().ToOptions());
        // An option added to TrainingOptions but not to the card's settings would not be recorded.
        Assert.Equal(
            typeof(TrainingOptions).GetProperties().Select(p => (p.Name, p.PropertyType)).OrderBy(p => p.Name),
            typeof(TrainingSettings).GetProperties().Select(p => (p.Name, p.PropertyType)).OrderBy(p => p.Name));
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_recipe_as_compact_camel_case_json()
    {
        string canonical = """
            {"architecture":"baseline","activation":"relu",
            "options":{"epochs":2,"batchSize":32,"learningRate":0.005,"weightDecay":0.05,"maxShift":2,"maxRotationDegrees":0,"maxScale":0.1,"patience":0,"seed":1},
            "dataFiles":[{"file":"train-images-idx3-ubyte","sha256":"ab"},{"file":"t10k-images-idx3-ubyte","sha256":"cd"}],
            "split":{"training":54000,"validation":6000,"test":10000,"seed":20240601}}
            """.ReplaceLineEndings("");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), Recipe.Sha256());
    }

    [Fact]
    public void Equal_recipes_hash_alike_and_any_change_changes_the_hash()
    {
        TrainingRecipe same = Recipe with { DataFiles = [.. Recipe.DataFiles], Options = Recipe.Options with { } };
        TrainingRecipe[] changed =
        [
            Recipe with { Architecture = "enhanced" },
            Recipe with { Activation = "elu" },
            Recipe with { Options = Recipe.Options with { Seed = 2 } },
            Recipe with { Options = Recipe.Options with { LearningRate = 0.0050001f } },
            Recipe with { Options = Recipe.Options with { MaxRotationDegrees = 1 } },
            Recipe with { DataFiles = [Recipe.DataFiles[0], new DataFileChecksum("t10k-images-idx3-ubyte", "ce")] },
            Recipe with { Split = Recipe.Split with { Seed = 1 } },
        ];

        Assert.Equal(Recipe.Sha256(), same.Sha256());
        Assert.Equal(changed.Length + 1, changed.Select(r => r.Sha256()).Append(Recipe.Sha256()).Distinct().Count());
    }

    [Fact]
    public void Create_takes_the_architecture_activation_options_and_the_datas_checksums_and_split()
    {
        var data = new DigitSplits("digits", Empty(), Empty(), Empty(), new DatasetSplit(0, 0, 0, 5)) { Files = Recipe.DataFiles };
        TrainingOptions options = TrainingOptions.For(NetworkArchitecture.Enhanced);

        TrainingRecipe recipe = TrainingRecipes.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Softsign, options, data);

        Assert.Equal("enhanced", recipe.Architecture);
        Assert.Equal("softsign", recipe.Activation);
        Assert.Equal(options, recipe.Options.ToOptions());
        Assert.Same(Recipe.DataFiles, recipe.DataFiles);
        Assert.Equal(data.Split, recipe.Split);
    }

    [Fact]
    public void A_card_was_tested_on_data_with_its_recipes_checksums_and_split_or_for_an_older_card_its_name_and_split()
    {
        var data = new DigitSplits("digits", Empty(), Empty(), Empty(), Recipe.Split) { Files = [.. Recipe.DataFiles] };
        var card = new ModelCard("m", "relu", "baseline", "", "other name", Recipe.Split, 1, 1, 1, 0.9, 0.9, [], 0, default, "", "m.onnx", 17, Recipe: Recipe);
        var older = card with { Recipe = null, Dataset = "digits" };

        Assert.True(card.WasTestedOn(data));
        Assert.False(card.WasTestedOn(data with { Files = [Recipe.DataFiles[0], new DataFileChecksum("t10k-images-idx3-ubyte", "ce")] }));
        Assert.False(card.WasTestedOn(data with { Split = Recipe.Split with { Test = 2_000 } }));
        Assert.True(older.WasTestedOn(data));
        Assert.False(older.WasTestedOn(data with { Name = "MNIST, 10,000 digits" }));
    }

    private static DigitDataset Empty() => new("digits", [], []);
}
