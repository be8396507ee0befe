using System.Text.Json.Nodes;
using Engine.Activations;
using Trainer.Study;

namespace Tests.Trainer;

/// <summary>A cells folder is reported only if every file in it is a cell of one plan: no stale cell passes for a seed.</summary>
public sealed class StudyCellFilesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("study-cells-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void WriteAndRead_RoundTripACell_NamedReadablyWithItsKey()
    {
        StudyCell cell = StudyCellFactory.Cell(StudyCellFactory.Recipe(seed: 2), StudyCellFactory.Right(50, 40));

        string path = Assert.Single(StudyCellFactory.WriteAll(directory, [cell]));
        StudyCell read = StudyCellFiles.Read(path);

        Assert.Equal($"standard-mnist-baseline-relu-seed2-{cell.Key[..12]}.json", Path.GetFileName(path));
        Assert.Equal(cell.Recipe, read.Recipe);
        Assert.Equal(0.8, read.TestAccuracy);
        Assert.Equal(StudyCellFactory.Right(50, 40), read.Correct());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)(i < 40 ? 1 : 2)), read.Predictions());
        Assert.Contains("\"architectureDescription\": \"the baseline network\"", File.ReadAllText(path));
    }

    [Fact]
    public void Read_RefusesAnEditedRecipe_ARenamedFile_AndAnOldCell()
    {
        StudyCell cell = StudyCellFactory.Cell(StudyCellFactory.Recipe(), StudyCellFactory.Right(50, 40));
        string path = Assert.Single(StudyCellFactory.WriteAll(directory, [cell]));

        JsonObject json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["recipe"]!["epochs"] = 30;
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("changed after it was made", Assert.Throws<InvalidDataException>(() => StudyCellFiles.Read(path)).Message);

        StudyCellFiles.Write(path, cell);
        string renamed = Path.Combine(directory, "standard-mnist-baseline-relu-seed1.json");
        File.Move(path, renamed);
        Assert.Contains("renamed or copied", Assert.Throws<InvalidDataException>(() => StudyCellFiles.Read(renamed)).Message);

        string old = Path.Combine(directory, "standard-mnist-baseline-relu-seed1-epochs30-lr0.005.json");
        File.WriteAllText(old, """{ "experiment": "standard", "architecture": "baseline", "dataset": "mnist", "activation": "relu", "seed": 1 }""");
        var exception = Assert.Throws<InvalidDataException>(() => StudyCellFiles.Read(old));
        Assert.Contains(old, exception.Message);
    }

    [Fact]
    public void Read_RefusesPredictionsThatDoNotGiveTheAccuracy()
    {
        StudyCell cell = StudyCellFactory.Cell(StudyCellFactory.Recipe(), StudyCellFactory.Right(50, 40)) with { TestAccuracy = 0.9 };
        string path = Assert.Single(StudyCellFactory.WriteAll(directory, [cell]));

        Assert.Contains("do not give its test accuracy", Assert.Throws<InvalidDataException>(() => StudyCellFiles.Read(path)).Message);
    }

    [Fact]
    public void CheckConsistent_RefusesTheSameCellMadeWithTwoRecipes_NamingBothFiles()
    {
        StudyCell first = StudyCellFactory.Cell(StudyCellFactory.Recipe(epochs: 10), StudyCellFactory.Right(50, 40));
        StudyCell stale = StudyCellFactory.Cell(StudyCellFactory.Recipe(epochs: 15), StudyCellFactory.Right(50, 41));
        IReadOnlyList<string> paths = StudyCellFactory.WriteAll(directory, [first, stale]);

        var exception = Assert.Throws<InvalidDataException>(() => StudyCellFiles.CheckConsistent(StudyCellFiles.ReadAll(directory), planned: null));

        Assert.Contains(Path.GetFileName(paths[0]), exception.Message);
        Assert.Contains(Path.GetFileName(paths[1]), exception.Message);
        Assert.Contains("standard/mnist/baseline/relu/seed1", exception.Message);
        Assert.Contains("epochs: ", exception.Message);
    }

    [Fact]
    public void CheckConsistent_RefusesOtherCodeVersionsOtherDataAndBlocksThatDifferInMoreThanActivationAndSeed()
    {
        StudyCell current = StudyCellFactory.Cell(StudyCellFactory.Recipe(seed: 1), StudyCellFactory.Right(50, 40));
        StudyCell older = StudyCellFactory.Cell(StudyCellFactory.Recipe(seed: 2) with { CodeVersion = StudyRecipe.CurrentCodeVersion - 1 }, StudyCellFactory.Right(50, 40));
        AssertRefused([current, older], "different study code versions");

        StudyCell otherData = StudyCellFactory.Cell(StudyCellFactory.Recipe(seed: 2, checksum: new string('f', 64)), StudyCellFactory.Right(50, 40));
        AssertRefused([current, otherData], "trained on different data");

        StudyCell otherBatch = StudyCellFactory.Cell(StudyCellFactory.Recipe("elu", seed: 1) with { BatchSize = 64 }, StudyCellFactory.Right(50, 40));
        AssertRefused([current, otherBatch], "differ in more than activation and seed: batchSize: ");
    }

    [Fact]
    public void CheckConsistent_AgainstThePlan_RefusesStaleCellsAndCellsThePlanDoesNotHave()
    {
        StudyPlan plan = OneBlockPlan(epochs: 3);
        var checksums = new Dictionary<string, string> { ["mnist"] = StudyCellFactory.Checksum };
        IReadOnlyList<PlannedCell> planned = plan.MainCells([ActivationFunctions.Relu], checksums, new Dictionary<string, int>());
        PlannedCell seed1 = planned.Single(cell => cell.Recipe.Seed == 1);

        StudyCell fresh = StudyCellFactory.Cell(seed1.Recipe, StudyCellFactory.Right(50, 40));
        StudyCellFactory.WriteAll(directory, [fresh]);
        StudyCellFiles.CheckConsistent(StudyCellFiles.ReadAll(directory), planned);

        // The same slot under an older plan with fewer epochs: stale, named with what differs.
        Directory.Delete(directory, recursive: true);
        StudyCell stale = StudyCellFactory.Cell(seed1.Recipe with { Epochs = 2 }, StudyCellFactory.Right(50, 40));
        string stalePath = Assert.Single(StudyCellFactory.WriteAll(directory, [stale]));
        var exception = Assert.Throws<InvalidDataException>(() => StudyCellFiles.CheckConsistent(StudyCellFiles.ReadAll(directory), planned));
        Assert.Contains($"{Path.GetFileName(stalePath)} is stale: epochs: 2 → 3", exception.Message);

        // A third seed the plan does not have is not an extra seed.
        Directory.Delete(directory, recursive: true);
        StudyCell extra = StudyCellFactory.Cell(seed1.Recipe with { Seed = 3 }, StudyCellFactory.Right(50, 40));
        string extraPath = Assert.Single(StudyCellFactory.WriteAll(directory, [fresh, extra]), path => path.Contains("seed3", StringComparison.Ordinal));
        exception = Assert.Throws<InvalidDataException>(() => StudyCellFiles.CheckConsistent(StudyCellFiles.ReadAll(directory), planned));
        Assert.Contains($"{Path.GetFileName(extraPath)} is not a cell of this plan", exception.Message);
    }

    internal static StudyPlan OneBlockPlan(int epochs) => new(
        "test", ["relu", "relu_softsign"], [], [],
        [new StudyExperiment(StudyPlan.StandardExperiment, ExperimentKind.Standard, "mnist", "baseline", null, epochs, null, ArticleSeeds: 2, AddedSeeds: 2)],
        ImageLimit: null);

    private void AssertRefused(IEnumerable<StudyCell> cells, string expected)
    {
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.GetFiles(directory))
            File.Delete(file);
        StudyCellFactory.WriteAll(directory, cells);
        var exception = Assert.Throws<InvalidDataException>(() => StudyCellFiles.CheckConsistent(StudyCellFiles.ReadAll(directory), planned: null));
        Assert.True(exception.Message.Contains(expected, StringComparison.Ordinal), exception.Message);
    }
}
