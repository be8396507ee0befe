using System.Buffers.Binary;
using System.Text.Json;
using Contracts;
using Trainer.Study;

namespace Tests.Trainer;

public sealed class StudyReportTests : IDisposable
{
    private const string Plan = "Each cell trained for 3 epochs; nothing was cut.";
    private static readonly JsonSerializerOptions studyJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string directory = Directory.CreateTempSubdirectory("study-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Write_ReportsSeedMeanAndSampleStandardDeviation()
    {
        string readme = WriteReadme(StudyCells());

        // relu: 98.00 and 98.20 → mean 98.10, s = √(2·0.1²/1) = 0.1414; elu: 97.00 and 97.60 → 97.30, s = 0.4243.
        string[] relu = Row(readme, "### MNIST, baseline", "relu");
        Assert.Equal("98.10 ± 0.14", relu[1]);
        Assert.Equal("2", relu[2]);
        Assert.Equal("best", relu[3]);
        string[] elu = Row(readme, "### MNIST, baseline", "elu");
        Assert.Equal("97.30 ± 0.42", elu[1]);
        Assert.Equal("-0.80", elu[3]);
    }

    [Fact]
    public void Write_CallsADifferenceNoiseOnlyWithinTwiceTheCombinedStandardError()
    {
        string readme = WriteReadme(StudyCells());

        // Threshold for both blocks: 2·√(0.001414²/2 + 0.004243²/2 + 2·0.981·0.019/10000) = 0.741 pp.
        // Without the binomial term it would be 0.632 pp, with s instead of s²/n far more than 1 pp.
        Assert.Equal("no", Row(readme, "### MNIST, baseline", "elu")[4]);
        string[] closer = Row(readme, "### MNIST, enhanced", "elu");
        Assert.Equal("-0.70", closer[3]);
        Assert.Equal("yes", closer[4]);
        Assert.Contains("|Δ| ≤ 2·√(s₁²/n₁ + s₂²/n₂ + 2·p(1−p)/N)", readme);
    }

    [Fact]
    public void Write_ReportsEpochsToTargetAndFinalDeadUnits()
    {
        string readme = WriteReadme(StudyCells());

        string[] relu = Row(readme, "### MNIST, baseline", "relu");
        Assert.Equal("2.5", relu[6]);
        // Seed 1: 2 of 8 conv1 and 4 of 20 dense1 units dead (6/28); seed 2: 0 and 2 (2/28). Mean of the pooled
        // fractions 14.29 %; per layer (25 + 0)/2 and (20 + 10)/2.
        Assert.Equal("14.3", relu[8]);
        Assert.Equal("conv1 12.5 / dense1 15", relu[10]);
        Assert.Equal("3 (1/2 reached)", Row(readme, "### MNIST, baseline", "elu")[6]);
    }

    [Fact]
    public void Write_ReportsTheHighLearningRateRunAtItsWorstEpoch()
    {
        string readme = WriteReadme(StudyCells());

        string[] run = Row(readme, "## High learning rate", "relu");
        Assert.Equal("0.1", run[2]);
        Assert.Equal("60.00", run[3]);
        Assert.Equal("conv1 0 / dense1 0", run[4]);
        Assert.Equal("epoch 2: conv1 37.5 / dense1 50", run[5]);
        Assert.Equal("conv1 25 / dense1 40", run[6]);
    }

    [Fact]
    public void Write_SetsALongerRunBesideTheStandardRunOfItsSeed()
    {
        StudyCell standard = StudyCells()[4];
        StudyCell longer = standard with { Experiment = "longer", Epochs = 9, TestAccuracy = 0.9915, BestEpoch = 8 };

        string readme = WriteReadme([.. StudyCells(), longer]);

        string[] run = Row(readme, "## Longer training", "relu");
        Assert.Equal(["1", "9", "99.15", "8", "conv1 12.5 / dense1 5", "3, 98.00"], run[1..]);
    }

    [Fact]
    public void Write_IncludesFindingsPlanAndPlotLinks()
    {
        File.WriteAllText(Path.Combine(directory, "findings.md"), "ReLU–Softsign wins nothing.");
        string readme = WriteReadme(StudyCells());

        int findings = readme.IndexOf("## What it shows\n\nReLU–Softsign wins nothing.", StringComparison.Ordinal);
        Assert.InRange(findings, 0, readme.IndexOf("## Test accuracy", StringComparison.Ordinal));
        Assert.Contains("## How it was run\n\n" + Plan, readme);
        Assert.Contains("![summary-accuracy](summary-accuracy.png)", readme);
        Assert.Contains("![high-lr-dead](high-lr-dead.png)", readme);
    }

    [Fact]
    public void Write_RendersEveryPlotAsAPngOfTheRequestedSize()
    {
        IReadOnlyList<string> written = StudyReport.Write(StudyCells(), directory, Plan);

        var expected = new Dictionary<string, (int Width, int Height)>
        {
            ["summary-accuracy.png"] = (900, 320), // two panels side by side
            ["high-lr-dead.png"] = (900, 500),
            ["high-lr-loss.png"] = (900, 500),
        };
        foreach (string block in new[] { "mnist-baseline", "mnist-enhanced" })
            foreach (string kind in new[] { "loss", "accuracy", "dead" })
                expected[$"{kind}-{block}.png"] = (900, 500);
        Assert.Equal(["README.md", .. expected.Keys.Order()], written.Select(Path.GetFileName).Order());
        foreach ((string name, (int width, int height)) in expected)
            Assert.Equal((width, height), PngSize(Path.Combine(directory, name)));
    }

    [Fact]
    public void Load_RoundTripsTheCellFilesInStudyOrder()
    {
        IReadOnlyList<StudyCell> cells = StudyCells();
        Directory.CreateDirectory(Path.Combine(directory, "mnist"));
        for (int i = 0; i < cells.Count; i++)
        {
            // Reversed names and a subfolder: the order must come from the cells, not the file system.
            string path = Path.Combine(directory, i % 2 == 0 ? "mnist" : "", $"{cells.Count - i:D2}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(cells[i], studyJson));
        }
        Assert.Contains("\"deadFraction\"", File.ReadAllText(Path.Combine(directory, "mnist", $"{cells.Count:D2}.json")));

        IReadOnlyList<StudyCell> loaded = StudyReport.Load(directory);

        var expected = cells.OrderBy(cell => cell.Experiment == "high_lr")
            .ThenBy(cell => cell.Architecture == "enhanced")
            .ThenBy(cell => cell.Activation == "elu")
            .ThenBy(cell => cell.Seed);
        Assert.Equal(expected.Select(cell => JsonSerializer.Serialize(cell, studyJson)), loaded.Select(cell => JsonSerializer.Serialize(cell, studyJson)));
        LayerUnits dense = loaded[0].Final.Layers[1];
        Assert.Equal(new LayerUnits("dense1", 20, 4, 5), dense);
        Assert.Equal(0.2, dense.DeadFraction);
    }

    [Fact]
    public void Load_RejectsAFileThatIsNotACell()
    {
        File.WriteAllText(Path.Combine(directory, "broken.json"), """{ "experiment": "standard" }""");

        Assert.Throws<InvalidDataException>(() => StudyReport.Load(directory));
    }

    [Fact]
    public void Write_ReportsPartialResults()
    {
        // No high-learning-rate run, one block, and elu with one seed of two.
        var cells = StudyCells().Where(cell => cell.Experiment == "standard" && cell.Architecture == "baseline" && !(cell.Activation == "elu" && cell.Seed == 2)).ToList();

        IReadOnlyList<string> written = StudyReport.Write(cells, directory, Plan);

        string readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        string[] elu = Row(readme, "### MNIST, baseline", "elu");
        Assert.Equal("97.00", elu[1]);
        Assert.Equal("1", elu[2]);
        Assert.Contains("- MNIST, baseline, elu: seed 2", readme);
        Assert.Contains("No high-learning-rate runs yet.", readme);
        Assert.DoesNotContain(written, path => Path.GetFileName(path).StartsWith("high-lr", StringComparison.Ordinal));
        Assert.Equal((900, 320), PngSize(Path.Combine(directory, "summary-accuracy.png")));
    }

    [Fact]
    public void Write_WithoutCellsWritesAReadmeOnly()
    {
        IReadOnlyList<string> written = StudyReport.Write([], directory, Plan);

        Assert.Equal([Path.Combine(directory, "README.md")], written);
        Assert.Contains("No standard runs yet.", File.ReadAllText(written[0]));
    }

    private string WriteReadme(IReadOnlyList<StudyCell> cells)
    {
        StudyReport.Write(cells, directory, Plan);
        return File.ReadAllText(Path.Combine(directory, "README.md"));
    }

    /// <summary>The table row of <paramref name="activation"/> after <paramref name="heading"/>, cells trimmed, the activation at 0.</summary>
    private static string[] Row(string readme, string heading, string activation)
    {
        int start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no heading {heading}");
        string line = readme[start..].Split('\n').First(line => line.StartsWith("|", StringComparison.Ordinal) && line.Contains($"| {activation} |", StringComparison.Ordinal));
        string[] cells = line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
        // The high-learning-rate table starts with the block; drop it so the activation comes first there too.
        return cells[0] == activation ? cells : cells[1..];
    }

    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>
    /// Two activations × two seeds on two MNIST blocks, plus one high-learning-rate run. In both blocks relu has
    /// 98.00 and 98.20 %; elu has 97.00 and 97.60 % on the baseline and 97.10 and 97.70 % on the enhanced network.
    /// </summary>
    private static IReadOnlyList<StudyCell> StudyCells()
    {
        var cells = new List<StudyCell>
        {
            Cell("baseline", "relu", 1, 0.9800, epochsToTarget: 2, finalDead: (2, 4)),
            Cell("baseline", "relu", 2, 0.9820, epochsToTarget: 3, finalDead: (0, 2)),
            Cell("baseline", "elu", 1, 0.9700, epochsToTarget: 3, finalDead: (0, 0)),
            Cell("baseline", "elu", 2, 0.9760, epochsToTarget: null, finalDead: (0, 0)),
            Cell("enhanced", "relu", 1, 0.9800, epochsToTarget: 2, finalDead: (1, 1)),
            Cell("enhanced", "relu", 2, 0.9820, epochsToTarget: 2, finalDead: (1, 1)),
            Cell("enhanced", "elu", 1, 0.9710, epochsToTarget: 3, finalDead: (0, 0)),
            Cell("enhanced", "elu", 2, 0.9770, epochsToTarget: 3, finalDead: (0, 0)),
        };
        UnitSnapshot[] epochs = [Snapshot(1, 1, 5), Snapshot(2, 3, 10), Snapshot(3, 2, 8)];
        cells.Add(new StudyCell("high_lr", "baseline", "mnist", "relu", 1, 3, 0.1, 1000, 10_000, 0.60, 3, 0.97, null, 12.5,
            Snapshot(0, 0, 0), [.. epochs.Select(units => Epoch(units, loss: 2.0 / units.Epoch, accuracy: 0.2 * units.Epoch))], epochs[2]));
        return cells;
    }

    private static StudyCell Cell(string architecture, string activation, int seed, double accuracy, int? epochsToTarget, (int Conv, int Dense) finalDead)
    {
        var history = Enumerable.Range(1, 3)
            .Select(epoch => Epoch(Snapshot(epoch, 0, epoch), loss: 1.0 / epoch + 0.01 * seed, accuracy: accuracy - 0.01 * (3 - epoch)))
            .ToList();
        return new StudyCell("standard", architecture, "mnist", activation, seed, 3, 0.005, 1000, 10_000, accuracy, 3, 0.97, epochsToTarget,
            10 + seed, Snapshot(0, 0, 0), history, Snapshot(3, finalDead.Conv, finalDead.Dense));
    }

    private static StudyEpoch Epoch(UnitSnapshot units, double loss, double accuracy) =>
        new(units.Epoch, loss, accuracy, accuracy, accuracy, 4, units);

    private static UnitSnapshot Snapshot(int epoch, int convDead, int denseDead) =>
        new(epoch, [new LayerUnits("conv1", 8, convDead, 1), new LayerUnits("dense1", 20, denseDead, 5)]);
}
