using Trainer.Study;
using Training.Data;

namespace Tests.Trainer;

/// <summary>
/// The study runs on real digits (a hundred of each part): one file per cell with its per-image predictions, a
/// killed run resumes at the cell it was in, and a cells folder that does not match the plan stops it.
/// </summary>
public sealed class StudyRunnerTests : IDisposable
{
    private const int Images = 100;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "study-runner-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Run_WritesEachCellWithItsKeyAndPredictionsThatGiveItsAccuracy()
    {
        (IReadOnlyList<StudyCell> cells, _) = Run(Plan(epochs: 1, seeds: 2));

        Assert.Equal(2, cells.Count);
        DigitDataset test = DigitSplits.Load(MnistDirectory).Test;
        int[] spread = Enumerable.Range(0, Images).Select(i => (int)((long)i * test.Count / Images)).ToArray();
        foreach (StudyCell cell in cells)
        {
            Assert.True(File.Exists(Path.Combine(directory, StudyCellFiles.FileName(cell.Recipe, cell.Key))));
            Assert.Equal(cell.Recipe.Key, cell.Key);
            byte[] predictions = cell.Predictions();
            bool[] correct = cell.Correct();
            Assert.Equal(Images, predictions.Length);
            Assert.Equal(Enumerable.Range(0, Images).Select(i => predictions[i] == test.Labels[spread[i]]), correct);
            Assert.Equal(correct.Count(c => c) / (double)Images, cell.TestAccuracy);
            Assert.Equal(1, Assert.Single(cell.History).Epoch);
            Assert.Equal(["conv1"], cell.Final.Layers.Select(layer => layer.Layer));
            Assert.NotEqual("unknown", cell.CodeCommit);
        }
        Assert.NotEqual(cells[0].TestPredictions, cells[1].TestPredictions);
    }

    [Fact]
    public void Run_ResumesFromFinishedCells_AndRefusesCellsOfAnotherRecipe_BeforeTrainingAnything()
    {
        (IReadOnlyList<StudyCell> first, string firstLog) = Run(Plan(epochs: 1, seeds: 2));
        (IReadOnlyList<StudyCell> again, string againLog) = Run(Plan(epochs: 1, seeds: 2));

        Assert.Equal(2, CellsTrained(firstLog));
        Assert.Equal(0, CellsTrained(againLog));
        Assert.Equal(first.Select(cell => cell.TestPredictions), again.Select(cell => cell.TestPredictions));

        var log = new StringWriter();
        var exception = Assert.Throws<InvalidDataException>(() => Runner(Plan(epochs: 2, seeds: 2), log).Run());
        Assert.Contains("is stale: epochs: 1 → 2", exception.Message);
        Assert.Contains(StudyCellFiles.FileName(first[0].Recipe, first[0].Key), exception.Message);
        Assert.Equal(0, CellsTrained(log.ToString()));
    }

    [Fact]
    public void Run_KilledInACell_ResumesAtThatCell_AndEndsWithTheResultsOfAnUnbrokenRun()
    {
        StudyPlan plan = Plan(epochs: 2, seeds: 3);
        using var cancellation = new CancellationTokenSource();
        var stopInSecondCell = new Progress(progress =>
        {
            if (progress.Cell == 2)
                cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Runner(plan, new StringWriter(), stopInSecondCell).Run(cancellation.Token));
        Assert.Single(Directory.GetFiles(directory, "*.json"));

        (IReadOnlyList<StudyCell> resumed, string log) = Run(plan);
        Assert.Equal(2, CellsTrained(log));

        string unbroken = directory + "-unbroken";
        try
        {
            IReadOnlyList<StudyCell> reference = new StudyRunner(plan, Data(MnistDirectory), unbroken, new StringWriter()).Run();
            Assert.Equal(reference.Select(cell => cell.TestPredictions), resumed.Select(cell => cell.TestPredictions));
            Assert.Equal(reference.Select(cell => cell.History.Select(epoch => epoch.TrainingLoss).ToList()), resumed.Select(cell => cell.History.Select(epoch => epoch.TrainingLoss).ToList()));
        }
        finally
        {
            Directory.Delete(unbroken, recursive: true);
        }
    }

    [Fact]
    public void Run_LetsThePilotsChooseTheEpochsOnValidationAccuracy()
    {
        StudyPlan plan = Plan(epochs: null, seeds: 1) with
        {
            EpochChoices = [new EpochChoice("mnist", "baseline", [1, 2], ["relu"], Seeds: 1, Tolerance: 0.001)],
        };

        (IReadOnlyList<StudyCell> cells, string log) = Run(plan);

        var pilots = cells.Where(cell => cell.Recipe.Kind == ExperimentKind.EpochChoice).ToList();
        Assert.Equal([1, 2], pilots.Select(cell => cell.Recipe.Epochs));
        int chosen = plan.EpochChoices[0].Choose(pilots, ["relu"])!.Value;
        Assert.Equal(chosen, Assert.Single(cells, cell => cell.Recipe.Kind == ExperimentKind.Standard).Recipe.Epochs);
        Assert.Contains($"mnist-baseline: the pilots choose {StudyReport.Epochs(chosen)}", log);
    }

    [Fact]
    public void Finished_GivesThePlansCellsInPlanOrder_AndRefusesAFileOfAnotherPlan()
    {
        (IReadOnlyList<StudyCell> ran, _) = Run(Plan(epochs: 1, seeds: 2));

        IReadOnlyList<StudyCell> finished = Runner(Plan(epochs: 1, seeds: 2), new StringWriter()).Finished();
        Assert.Equal(ran.Select(cell => cell.Key), finished.Select(cell => cell.Key));

        // The one-seed plan does not have seed 2: its file must not count as an extra seed.
        var exception = Assert.Throws<InvalidDataException>(() => Runner(Plan(epochs: 1, seeds: 1), new StringWriter()).Finished());
        Assert.Contains($"{StudyCellFiles.FileName(ran[1].Recipe, ran[1].Key)} is not a cell of this plan", exception.Message);
    }

    [Fact]
    public void Run_WithoutAnImageLimit_RefusesADatasetWithoutItsOwnOfficialTestSet()
    {
        // A folder of 4,000 labelled digits without a test set of their own, which DigitSplits splits 1,000 / 1,000 / 2,000.
        DigitDataset digits = DigitSplits.Load(MnistDirectory).Training;
        string subset = directory + "-subset";
        Directory.CreateDirectory(subset);
        int count = 4000;
        WriteIdx(Path.Combine(subset, "images-idx3-ubyte"), 3, [count, 28, 28], digits.Images.AsSpan(0, count * DigitDataset.ImageSize));
        WriteIdx(Path.Combine(subset, "labels-idx1-ubyte"), 1, [count], digits.Labels.AsSpan(0, count));
        var log = new StringWriter();

        var exception = Assert.Throws<InvalidDataException>(() =>
        {
            try
            {
                new StudyRunner(Plan(epochs: 1, seeds: 1) with { ImageLimit = null }, Data(subset), directory, log).Run();
            }
            finally
            {
                Directory.Delete(subset, recursive: true);
            }
        });
        Assert.Contains("the study needs the dataset's own 60,000 training and 10,000 test images", exception.Message);
        Assert.Equal(0, CellsTrained(log.ToString()));
    }

    [Fact]
    public void Describe_NamesTheDataTheCellsWereTrainedOn()
    {
        StudyRunner runner = Runner(Plan(epochs: 1, seeds: 1), new StringWriter());
        runner.Run();

        string described = runner.Describe();

        Assert.Contains($"- Data of mnist: {DigitSplits.Load(MnistDirectory).Name}; 100 images to train on, 100 to validate on, 100 to test on; data checksum {DataChecksum.Compute(MnistDirectory)}.", described);
        Assert.Contains("- Smoke run: only 100 images of each part", described);
    }

    [Fact]
    public void Run_StopsBeforeTheFirstCell_WhenADatasetIsMissing()
    {
        StudyPlan plan = Plan(epochs: 1, seeds: 1) with
        {
            Experiments = [.. Plan(epochs: 1, seeds: 1).Experiments, new StudyExperiment("standard", ExperimentKind.Standard, "fashion", "baseline", null, 1, null, 1, 1)],
        };
        var log = new StringWriter();
        var runner = new StudyRunner(plan, new Dictionary<string, string>
        {
            ["mnist"] = MnistDirectory,
            ["fashion"] = Path.Combine(directory, "no-such-folder"),
        }, directory, log);

        Assert.ThrowsAny<IOException>(() => runner.Run());
        Assert.Equal(0, CellsTrained(log.ToString()));
    }

    private static void WriteIdx(string path, byte dimensions, int[] sizes, ReadOnlySpan<byte> data)
    {
        using var file = new BinaryWriter(File.Create(path));
        file.Write(new byte[] { 0, 0, 0x08, dimensions });
        foreach (int size in sizes)
            file.Write(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(size));
        file.Write(data);
    }

    private static string MnistDirectory => Path.Combine(RepositoryFiles.Root, "data", "mnist");

    private static Dictionary<string, string> Data(string mnist) => new() { ["mnist"] = mnist };

    private StudyRunner Runner(StudyPlan plan, TextWriter log, IProgress<StudyProgress>? progress = null) =>
        new(plan, Data(MnistDirectory), directory, log, studyProgress: progress);

    private (IReadOnlyList<StudyCell> Cells, string Log) Run(StudyPlan plan)
    {
        var log = new StringWriter();
        IReadOnlyList<StudyCell> cells = Runner(plan, log).Run();
        return (cells, log.ToString());
    }

    // The runner writes one "[i/n] name: validation …, test …" line per cell it trains.
    private static int CellsTrained(string log) => log.Split('\n').Count(line => line.StartsWith('[') && line.Contains(": validation ", StringComparison.Ordinal));

    private static StudyPlan Plan(int? epochs, int seeds) => new(
        "test", ["relu"], [], [],
        [new StudyExperiment(StudyPlan.StandardExperiment, ExperimentKind.Standard, "mnist", "baseline", null, epochs, epochs is null ? "mnist-baseline" : null, seeds, seeds)],
        ImageLimit: Images);

    // Reports on the training thread, unlike System.Progress, so a cancellation takes effect at once.
    private sealed class Progress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
