using Engine.Activations;
using Trainer.Study;

namespace Tests.Trainer;

/// <summary>The study resumes: a finished cell is read back, not trained again, unless the plan that made it changed.</summary>
public sealed class StudyRunnerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "study-runner-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Run_ResumesFromFinishedCells_AndRerunsThoseThePlanNoLongerMatches()
    {
        IReadOnlyList<ActivationFunction> activations = [ActivationFunctions.Relu];

        (IReadOnlyList<StudyCell> first, string firstLog) = Run(Plan(epochs: 1), activations);
        (IReadOnlyList<StudyCell> again, string againLog) = Run(Plan(epochs: 1), activations);
        (IReadOnlyList<StudyCell> longer, string longerLog) = Run(Plan(epochs: 2), activations);

        StudyCell cell = Assert.Single(first);
        Assert.Contains("standard-mnist-baseline-relu-seed1-epochs1", firstLog);
        Assert.Equal(1, cell.Epochs);
        Assert.Equal("", againLog.Trim());
        Assert.Equal(cell.TestAccuracy, Assert.Single(again).TestAccuracy);
        Assert.Equal(cell.History.Select(e => e.TrainingLoss), Assert.Single(again).History.Select(e => e.TrainingLoss));
        Assert.Contains("standard-mnist-baseline-relu-seed1-epochs2", longerLog);
        Assert.Equal(2, Assert.Single(longer).Epochs);
        Assert.Equal(2, Directory.GetFiles(directory, "*.json").Length);
    }

    [Fact]
    public void Run_RejectsACellFileThatIsNotACell_NamingIt()
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "standard-mnist-baseline-relu-seed1-epochs1-lr0.005-first100.json");
        File.WriteAllText(path, "{ \"experiment\": ");

        var exception = Assert.Throws<InvalidDataException>(() => Run(Plan(epochs: 1), [ActivationFunctions.Relu]));

        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void Run_StopsBeforeTheFirstCell_WhenADatasetIsMissing()
    {
        StudyPlan plan = Plan(epochs: 1) with
        {
            Epochs = new Dictionary<(string, string), int> { [("mnist", "baseline")] = 1, [("fashion", "baseline")] = 1 },
        };
        var log = new StringWriter();
        var runner = new StudyRunner(plan, new Dictionary<string, string>
        {
            ["mnist"] = Path.Combine(RepositoryFiles.Root, "data", "mnist"),
            ["fashion"] = Path.Combine(directory, "no-such-folder"),
        }, directory, log);

        Assert.ThrowsAny<IOException>(() => runner.Run([ActivationFunctions.Relu]));
        Assert.DoesNotContain("[1/", log.ToString());
    }

    private (IReadOnlyList<StudyCell> Cells, string Log) Run(StudyPlan plan, IReadOnlyList<ActivationFunction> activations)
    {
        var log = new StringWriter();
        var runner = new StudyRunner(plan, new Dictionary<string, string> { ["mnist"] = Path.Combine(RepositoryFiles.Root, "data", "mnist") }, directory, log);
        IReadOnlyList<StudyCell> cells = runner.Run(activations);
        // Only the lines about cells: dataset loading is logged on every run.
        return (cells, string.Join('\n', log.ToString().Split('\n').Where(line => line.StartsWith('['))));
    }

    private static StudyPlan Plan(int epochs) => StudyPlan.Smoke with
    {
        Epochs = new Dictionary<(string, string), int> { [("mnist", "baseline")] = epochs },
        HighLearningRateActivations = [],
        Longer = ("mnist", "baseline", epochs, []),
        ImageLimit = 100,
    };
}
