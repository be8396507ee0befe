using Contracts;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Engine.Numerics;
using Engine.Onnx;
using Trainer.Verification;
using Training.Data;
using Training.Pipeline;

namespace Tests.Trainer;

/// <summary>
/// <c>Trainer verify</c> in small: a model trained on a few hundred digits is trained again from its card and
/// must come out the same, bit for bit; an edited card, a tampered checksum or other data must be caught.
/// </summary>
public sealed class ModelVerifierTests : IDisposable
{
    private const string Name = "baseline-relu";
    private static readonly TrainingOptions Options = TrainingOptions.For(NetworkArchitecture.Baseline) with { Epochs = 2, Seed = 3 };

    private readonly TinyMnist data = new();
    private readonly string models = Directory.CreateTempSubdirectory("verify-models-").FullName;
    private readonly ModelCard card;

    public ModelVerifierTests()
    {
        card = TrainingPipeline.Run(NetworkArchitecture.Baseline, ActivationFunctions.Relu, LoadData(), Options, models);
    }

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(models, recursive: true);
    }

    [Fact]
    public void The_card_records_the_recipe_its_hash_the_weights_checksum_the_code_and_the_cpu()
    {
        DigitSplits splits = LoadData();
        TrainingRecipe expected = TrainingRecipes.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, Options, splits);

        Assert.Equal(expected.Architecture, card.Recipe!.Architecture);
        Assert.Equal(expected.Options, card.Recipe.Options);
        Assert.Equal(splits.Files, card.Recipe.DataFiles);
        Assert.Equal(splits.Split, card.Recipe.Split);
        Assert.Equal(expected.Sha256(), card.RecipeSha256);
        // The checksum is of the weights that were exported.
        Assert.Equal(WeightsChecksum.Sha256(OnnxNetworkImporter.Import(Path.Combine(models, card.OnnxFile))), card.WeightsSha256);
        Assert.Equal(CpuVectorSupport.Describe(), card.Cpu);
        Assert.Equal(GitCodeVersion.Read(), card.Code);
        // What was written is what is read back.
        Assert.Equal(card.Recipe, ModelCardFile.Read(Path.Combine(models, Name + ".json")).Recipe, new RecipeComparer());
    }

    [Fact]
    public void A_model_trained_again_from_its_card_has_the_same_weights_and_accuracy()
    {
        ModelVerification verification = ModelVerifier.Verify(models, Name, data.Directory);

        Assert.Empty(verification.Problems);
        Assert.Equal(card.WeightsSha256, verification.Retrained!.WeightsSha256);
        Assert.Equal(card.TestAccuracy, verification.Retrained.TestAccuracy);
        Assert.True(verification.WeightsMatch);
        Assert.True(verification.AccuracyMatches);
        Assert.True(verification.SameKindOfCpu);
        Assert.True(verification.Reproduced);
    }

    [Fact]
    public void A_tampered_weights_checksum_is_a_mismatch()
    {
        Rewrite(card with { WeightsSha256 = new string('0', 64) });

        ModelVerification verification = ModelVerifier.Verify(models, Name, data.Directory);

        Assert.Empty(verification.Problems);
        Assert.False(verification.WeightsMatch);
        Assert.True(verification.AccuracyMatches);
        Assert.False(verification.Reproduced);
    }

    [Fact]
    public void A_changed_seed_is_caught_by_the_recipe_hash_before_anything_is_trained()
    {
        Rewrite(card with { Recipe = card.Recipe! with { Options = card.Recipe.Options with { Seed = 4 } } });

        ModelVerification verification = ModelVerifier.Verify(models, Name, data.Directory);

        Assert.Contains(verification.Problems, p => p.Contains("edited", StringComparison.Ordinal));
        Assert.Null(verification.Retrained);
        Assert.False(verification.Reproduced);
    }

    [Fact]
    public void A_changed_seed_with_a_matching_recipe_hash_trains_other_weights_which_are_a_mismatch()
    {
        TrainingRecipe otherSeed = card.Recipe! with { Options = card.Recipe.Options with { Seed = 4 } };
        Rewrite(card with { Recipe = otherSeed, RecipeSha256 = otherSeed.Sha256() });

        ModelVerification verification = ModelVerifier.Verify(models, Name, data.Directory);

        Assert.Empty(verification.Problems);
        Assert.NotNull(verification.Retrained);
        Assert.False(verification.WeightsMatch);
        Assert.False(verification.Reproduced);
    }

    [Fact]
    public void Other_data_is_refused_before_anything_is_trained_naming_the_file()
    {
        string changed = data.CopyWithOneTestPixelChanged();
        try
        {
            ModelVerification verification = ModelVerifier.Verify(models, Name, changed);

            string problem = Assert.Single(verification.Problems);
            Assert.Contains("t10k-images-idx3-ubyte", problem);
            Assert.Null(verification.Retrained);
            Assert.False(verification.Reproduced);
        }
        finally
        {
            Directory.Delete(changed, recursive: true);
        }
    }

    [Fact]
    public void A_card_without_a_recipe_cannot_be_verified_and_says_to_train_again()
    {
        Rewrite(card with { Recipe = null, RecipeSha256 = null, WeightsSha256 = null });

        var exception = Assert.Throws<InvalidDataException>(() => ModelVerifier.Verify(models, Name, data.Directory));

        Assert.Contains("Train the model again", exception.Message);
    }

    [Fact]
    public void The_verify_command_reports_equality_and_exits_0_then_a_difference_and_exits_1()
    {
        (int same, string sameOutput, string sameError) = TrainerRun.Invoke("verify", Name, "--models", models, "--data", data.Directory);
        Rewrite(card with { WeightsSha256 = new string('0', 64) });
        (int tampered, string tamperedOutput, _) = TrainerRun.Invoke("verify", Name, "--models", models, "--data", data.Directory);

        Assert.True(same == 0, sameError);
        Assert.Contains("weights: equal, bit for bit", sameOutput);
        Assert.Contains("test accuracy: equal", sameOutput);
        Assert.Contains($"CPU here:        {CpuVectorSupport.Describe()}", sameOutput);
        Assert.Contains("expected only on the same kind of CPU", sameOutput);
        Assert.EndsWith($"{Name}: reproduced", sameOutput.TrimEnd());
        Assert.Equal(1, tampered);
        Assert.Contains("weights: DIFFERENT", tamperedOutput);
        Assert.EndsWith($"{Name}: NOT reproduced", tamperedOutput.TrimEnd());
    }

    private DigitSplits LoadData() => DigitSplits.Load(data.Directory);

    private void Rewrite(ModelCard edited) => ModelCardFile.Write(Path.Combine(models, Name + ".json"), edited);

    // Records holding lists compare the lists by reference; recipes read back are compared field by field.
    private sealed class RecipeComparer : IEqualityComparer<TrainingRecipe?>
    {
        private static readonly DataFileChecksum[] NoFiles = [];

        public bool Equals(TrainingRecipe? x, TrainingRecipe? y) =>
            x is not null && y is not null && x.DataFiles.SequenceEqual(y.DataFiles)
            && x with { DataFiles = NoFiles } == y with { DataFiles = NoFiles };

        public int GetHashCode(TrainingRecipe? obj) => 0;
    }
}
