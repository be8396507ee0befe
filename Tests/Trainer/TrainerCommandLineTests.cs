using Contracts;
using Engine.Inference;

namespace Tests.Trainer;

/// <summary>The Trainer's command line: typed options, help on every command, and no silently ignored option.</summary>
public sealed class TrainerCommandLineTests
{
    [Fact]
    public void A_misspelled_option_is_an_error_that_names_it_and_trains_nothing()
    {
        (int exitCode, string output, string error) = TrainerRun.Invoke("train", "--epoch", "5", "--output", Path.Combine(Path.GetTempPath(), "never-written"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'--epoch'", error);
        // The near miss is offered.
        Assert.Contains("--epochs", output + error);
        Assert.DoesNotContain("training baseline-", output);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "never-written")));
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "0" }, "--epochs must be at least 1, not '0'")]
    [InlineData(new[] { "train", "--batch", "2" }, "--batch must be at least 4, not '2'")]
    [InlineData(new[] { "train", "--lr", "fast" }, "--lr must be positive, not 'fast'")]
    [InlineData(new[] { "train", "--epochs", "2.5" }, "--epochs must be at least 1, not '2.5'")]
    [InlineData(new[] { "train", "--activation", "sigmoid" }, "sigmoid")]
    [InlineData(new[] { "train", "--architecture", "resnet" }, "resnet")]
    [InlineData(new[] { "verify" }, "NAME")]
    [InlineData(new[] { "tarin" }, "tarin")]
    [InlineData(new[] { "evaluate", "--models", "/no/such/folder" }, "/no/such/folder")]
    public void A_value_out_of_range_or_of_the_wrong_type_is_an_error_naming_it(string[] args, string named)
    {
        (int exitCode, _, string error) = TrainerRun.Invoke(args);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, error);
    }

    [Theory]
    [InlineData("train", new[] { "--architecture", "--activation", "--epochs", "--seed", "--batch", "--lr", "--weight-decay", "--shift", "--rotation", "--scale", "--patience", "--data", "--output" })]
    [InlineData("evaluate", new[] { "--models", "--data" })]
    [InlineData("verify", new[] { "<NAME>", "--models", "--data" })]
    [InlineData("study", new[] { "--smoke", "--report", "--output", "--mnist", "--fashion" })]
    public void Every_command_has_help_listing_its_options_with_their_defaults(string command, string[] options)
    {
        (int exitCode, string output, _) = TrainerRun.Invoke(command, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output);
        Assert.Contains($" {command} ", output);
        Assert.All(options, option => Assert.Contains(option, output));
        Assert.Contains("[default: data/mnist]", output.Replace('\\', '/'));
    }

    [Fact]
    public void Help_shows_each_architectures_own_default_where_they_differ()
    {
        (_, string output, _) = TrainerRun.Invoke("train", "--help");

        string batch = Assert.Single(output.Split('\n'), line => line.Contains("--batch", StringComparison.Ordinal));
        string patience = Assert.Single(output.Split('\n'), line => line.Contains("--patience", StringComparison.Ordinal));
        string epochs = Assert.Single(output.Split('\n'), line => line.Contains("--epochs", StringComparison.Ordinal));
        Assert.Contains("[default: 32 for baseline, 64 for enhanced", batch);
        Assert.Contains("[default: 0 for baseline, 8 for enhanced", patience);
        // Where every architecture agrees, one value.
        Assert.Contains("[default: 30]", epochs);
    }

    [Fact]
    public void Train_through_the_command_line_writes_a_model_whose_card_holds_the_options_given()
    {
        using var data = new TinyMnist();
        string models = Directory.CreateTempSubdirectory("trainer-cli-models-").FullName;
        try
        {
            (int exitCode, string output, string error) = TrainerRun.Invoke(
                "train", "--architecture", "baseline", "--activation", "elu", "--epochs", "1", "--batch", "16", "--lr", "0.004",
                "--rotation", "5", "--seed", "7", "--data", data.Directory, "--output", models);

            Assert.True(exitCode == 0, error);
            Assert.Contains("Tiny MNIST, 400 training and 100 test digits: 360 training, 40 validation, 100 test images", output);
            // Output that is not a terminal gets one plain line per epoch.
            Assert.Single(output.Split('\n'), line => line.Contains("baseline-elu epoch 1/1"));
            Assert.Contains("baseline-elu: test accuracy", output);
            ModelCard card = ModelCardFile.Read(Path.Combine(models, "baseline-elu.json"));
            Assert.True(File.Exists(Path.Combine(models, "baseline-elu.onnx")));
            Assert.Equal(new TrainingSettings(1, 16, 0.004f, 0.05f, 2, 5, 0, 0, 7), card.Recipe!.Options);
            Assert.Equal(7, card.Seed);
            // Only what was asked for was trained.
            Assert.Equal(["baseline-elu.json", "baseline-elu.onnx"], Directory.GetFiles(models).Select(Path.GetFileName).Order());

            (int evaluated, string table, _) = TrainerRun.Invoke("evaluate", "--models", models, "--data", data.Directory);
            Assert.Equal(0, evaluated);
            Assert.Contains($"| baseline-elu | elu | {card.TestAccuracy:P2} | {card.TestAccuracy:P2} |", table);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
