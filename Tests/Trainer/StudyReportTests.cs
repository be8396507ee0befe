using System.Buffers.Binary;
using Trainer.Study;
using static Tests.Trainer.StudyCellFactory;

namespace Tests.Trainer;

/// <summary>
/// The report from made-up cells whose numbers are known: t-intervals, paired-bootstrap verdicts with Holm's
/// correction, findings that follow the numbers, and plots of the promised size.
/// </summary>
public sealed class StudyReportTests : IDisposable
{
    private const int Images = 1000;
    private const string PlanText = "Each cell trained as the test says.";
    private readonly string directory = Directory.CreateTempSubdirectory("study-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Tables_GiveTheMeanWithItsStudentTInterval()
    {
        string readme = WriteReadme(StudyCells());

        // relu: 97.0, 97.2, 97.4 % → mean 97.20, s = 0.2, t(0.975, 2) = 4.303 → ± 0.497.
        string[] relu = Row(readme, "### MNIST, baseline", "relu");
        Assert.Equal("3", relu[1]);
        Assert.Equal("97.20 (96.70–97.70)", relu[2]);
        // One test image in a thousand is 0.1 pp; every seed of relu_softsign has 99.0 %, so no spread at all.
        Assert.Equal("99.00 (99.00–99.00)", Row(readme, "### MNIST, baseline", "relu_softsign")[2]);
        Assert.Contains("4.303 for 3 seeds", readme);
    }

    [Fact]
    public void Tables_CallADifferenceBeyondNoise_OnlyWhenTheHolmAdjustedPairedTestSaysSo()
    {
        string readme = WriteReadme(StudyCells());

        string[] relu = Row(readme, "### MNIST, baseline", "relu");
        Assert.StartsWith("−1.80 (", relu[4]);
        Assert.Equal("**worse**, beyond noise", relu[7]);
        // leaky_relu is 0.1 pp ahead on three images: nothing a bootstrap over 1,000 images can tell from noise.
        string[] leaky = Row(readme, "### MNIST, baseline", "leaky_relu");
        Assert.StartsWith("+0.10 (", leaky[4]);
        Assert.Equal("within noise", leaky[7]);
        // elu classified exactly the images relu_softsign did.
        Assert.Equal(["0.00 (0.00, 0.00)", "1.000", "1.000", "within noise"], Row(readme, "### MNIST, baseline", "elu")[4..8]);
        Assert.Equal(["reference", "—", "—", "—"], Row(readme, "### MNIST, baseline", "relu_softsign")[4..8]);
        // Holm never lowers a p-value.
        foreach (string activation in new[] { "relu", "leaky_relu", "noisy_relu" })
        {
            string[] row = Row(readme, "### MNIST, baseline", activation);
            Assert.True(P(row[6]) >= P(row[5]), $"{activation}: Holm {row[6]} below p {row[5]}");
        }
        Assert.Equal("**better**, beyond noise", Row(readme, "### MNIST, enhanced", "relu")[7]);
    }

    [Fact]
    public void Findings_FollowTheNumbers_WhereTheClaimHoldsAndWhereItDoesNot()
    {
        string findings = Section(WriteReadme(StudyCells()), "## Findings");

        Assert.Contains("*MNIST, baseline* (3 epochs, seeds 1–3): the highest mean is leaky_relu's 99.10", findings);
        Assert.Contains("worse beyond noise relu (−1.80 pp", findings);
        Assert.Contains("within noise leaky_relu, elu", findings);
        // The same comparison, won on one network and lost on the other.
        Assert.Contains("- Against relu: better beyond noise on MNIST, baseline; MNIST, narrow; worse beyond noise on MNIST, enhanced.", findings);
        Assert.Contains("It has the highest mean in 1 of 3 blocks (MNIST, narrow).", findings);
        Assert.Contains("- Dead units of the kept weights, all layers, mean over seeds: fewer than relu's on MNIST, baseline (0.0 % against 42.9 %); " +
                        "MNIST, narrow (0.0 % against 35.7 %); MNIST, enhanced, learning rate 0.02 (0.0 % against 35.7 %); as many on MNIST, enhanced (0.0 % against 0.0 %).", findings);
        Assert.Contains("relu 42.9 % of all units (conv1 25 / dense1 50)", findings);
        Assert.Contains("*MNIST, narrow*, its dense1 of 20 units: relu loses 10 units on average and has 96.00 %", findings);
        Assert.Contains("MNIST, baseline 3 of 2 or 3", findings);
        Assert.Contains("longer training might still gain there", findings);
    }

    [Fact]
    public void Findings_ChangeWithTheResults()
    {
        // The same cells with relu and relu_softsign's results swapped on the baseline.
        var swapped = StudyCells().Select(cell => cell.Recipe is { Experiment: "standard", Architecture: "baseline", Activation: "relu" or "relu_softsign" }
            ? Cell(cell.Recipe, cell.Recipe.Activation == "relu" ? Right(Images, 990) : Right(Images, 970 + 2 * (cell.Recipe.Seed - 1)))
            : cell).ToList();

        string findings = Section(WriteReadme(swapped), "## Findings");

        Assert.Contains("- Against relu: better beyond noise on MNIST, narrow; worse beyond noise on MNIST, baseline; MNIST, enhanced.", findings);
        Assert.DoesNotContain("worse beyond noise relu (−1.80 pp", findings);
    }

    [Fact]
    public void Report_HasTheSweepTheHighRateThePilotsAndTheTimePerEpoch()
    {
        string readme = WriteReadme(StudyCells());

        Assert.Contains("| activation | 0.005 | 0.025 |", readme);
        string[] sweep = Row(readme, "### MNIST, baseline: test accuracy % (95 % CI) by learning rate", "relu");
        Assert.Equal("97.20 (96.70–97.70) (**worse**, beyond noise)", sweep[1]);
        Assert.StartsWith("95.00", sweep[2]);

        string[] high = Row(readme, "| activation | seeds | dead % at initialisation |", "relu");
        Assert.Equal(["3", "conv1 0 / dense1 0", "3, 3, 3", "conv1 0 / dense1 15", "conv1 0 / dense1 50"], high[1..]);

        Assert.Contains("| MNIST, baseline | 2 | relu | 1 | 98.00 |  |", readme);
        Assert.Contains("| MNIST, baseline | 3 | relu | 1 | 99.00 | **chosen** |", readme);
        Assert.Equal(["4.0 (1.00×)", "4.0 (1.00×)", "4.0 (1.00×)"], Row(readme, "## Training time per epoch", "relu")[1..]);
        Assert.Equal("6.0 (1.50×)", Row(readme, "## Training time per epoch", "noisy_relu")[1]);
        Assert.Contains("## How it was run\n\n" + PlanText, readme);
    }

    [Fact]
    public void Plots_AreWrittenAtTheirSizes_NoisyReluInItsOwnPanel()
    {
        IReadOnlyList<string> written = StudyReport.Write(StudyCells(), Plan, directory, PlanText);

        var expected = new Dictionary<string, (int Width, int Height)>
        {
            // Three blocks; the baseline's main panel has four activations, noisy_relu being beside it.
            ["summary-mnist.png"] = (1000, 3 * StudyPlots.SummaryRowHeight(4)),
            ["curves-mnist-baseline.png"] = (1000, 3 * StudyPlots.CurveRowHeight),
            ["curves-mnist-enhanced.png"] = (1000, 3 * StudyPlots.CurveRowHeight),
            ["curves-mnist-narrow.png"] = (1000, 3 * StudyPlots.CurveRowHeight),
            ["curves-high-lr-mnist-enhanced.png"] = (1000, 3 * StudyPlots.CurveRowHeight),
            ["learning-rate-mnist-baseline.png"] = (1000, 2 * StudyPlots.CurveRowHeight),
        };
        Assert.Equal(["README.md", .. expected.Keys.Order()], written.Select(Path.GetFileName).Order());
        foreach ((string name, (int width, int height)) in expected)
            Assert.Equal((width, height), PngSize(Path.Combine(directory, name)));
        (List<string> main, List<string> separate) = StudyPlots.Split(["relu", "noisy_relu", "elu"], id => id);
        Assert.Equal(["relu", "elu"], main);
        Assert.Equal(["noisy_relu"], separate);
    }

    [Fact]
    public void Curves_AverageOnlyEpochsEverySeedReached_AndMarkTheSeedThatStoppedEarly()
    {
        StudyCell[] seeds =
        [
            Cell(Recipe(seed: 1), Right(Images, 980), validation: 0.97),
            Cell(Recipe(seed: 2), Right(Images, 980), validation: 0.98),
            Cell(Recipe(seed: 3), Right(Images, 980), validation: 0.99, epochsRun: 2),
        ];

        SeedCurves curves = StudyPlots.Aligned(seeds, cell => cell.History.Select(epoch => (epoch.Epoch, 100 * epoch.ValidationAccuracy)).ToList());

        // Epoch 1: 95, 96, 98 % (each run's last epoch is its validation accuracy, 1 pp less per epoch before).
        Assert.Equal([1, 2], curves.Mean.Select(point => point.Epoch));
        Assert.Equal(96.333333, curves.Mean[0].Mean, 5);
        // s = 1.5275, t(0.975, 2) = 4.3027 → 3.7946.
        Assert.Equal(3.7946, curves.Mean[0].HalfWidth, 3);
        // Seeds 1 and 2 go on to epoch 3 alone; seed 3 stopped at epoch 2, at 99 %.
        Assert.Equal(2, curves.Continued.Count);
        Assert.All(curves.Continued, seed => Assert.Equal([2, 3], seed.Select(point => point.Epoch)));
        Assert.Equal((2, 99.0), Assert.Single(curves.Stopped));
    }

    [Fact]
    public void Report_OfPartialResults_LeavesOutWhatHasNotRun()
    {
        var cells = StudyCells().Where(cell => cell.Recipe.Experiment == "standard" && cell.Recipe.Architecture == "baseline").ToList();

        IReadOnlyList<string> written = StudyReport.Write(cells, Plan, directory, PlanText);

        string readme = File.ReadAllText(written[0]);
        Assert.DoesNotContain("## Learning rate", readme);
        Assert.DoesNotContain("## High learning rate", readme);
        Assert.Contains("### MNIST, baseline", readme);
        Assert.Equal(["README.md", "curves-mnist-baseline.png", "summary-mnist.png"], written.Select(Path.GetFileName).Order());

        Assert.Equal([Path.Combine(directory, "README.md")], StudyReport.Write([], Plan, directory, PlanText));
        Assert.Contains("No runs yet.", File.ReadAllText(Path.Combine(directory, "README.md")));
    }

    private static StudyPlan Plan { get; } = new(
        "test", ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"], [],
        [new EpochChoice("mnist", "baseline", [2, 3], ["relu"], Seeds: 1, Tolerance: 0.001)],
        [
            new StudyExperiment("standard", ExperimentKind.Standard, "mnist", "baseline", null, null, "mnist-baseline", 3, 3),
            new StudyExperiment("standard", ExperimentKind.Standard, "mnist", "enhanced", null, 3, null, 3, 3),
            new StudyExperiment("standard", ExperimentKind.Standard, "mnist", "narrow", null, 3, null, 3, 3),
            new StudyExperiment("high-lr", ExperimentKind.HighLearningRate, "mnist", "enhanced", 0.02f, 3, null, 3, 3),
            new StudyExperiment("lr-0.025", ExperimentKind.LearningRateSweep, "mnist", "baseline", 0.025f, null, "mnist-baseline", 3, 3),
        ],
        ImageLimit: null);

    /// <summary>
    /// Three seeds each, 1,000 test images. MNIST baseline: relu 970/972/974 right (with dead units), leaky_relu
    /// 989/991/993, elu and relu_softsign 990, noisy_relu 700. Enhanced: relu 995, relu_softsign 985. Narrow:
    /// relu 960 with 10 of 20 dense1 units dead, relu_softsign 990. High rate: relu 900, relu_softsign 980.
    /// Sweep at 0.025: relu 950, relu_softsign 985. Pilots: relu, 2 and 3 epochs.
    /// </summary>
    private static List<StudyCell> StudyCells()
    {
        var cells = new List<StudyCell>();
        for (int seed = 1; seed <= 3; seed++)
        {
            int s = seed - 1;
            cells.Add(Cell(Recipe("relu", seed), Right(Images, 970 + 2 * s), dead: (2, 10)));
            cells.Add(Cell(Recipe("leaky_relu", seed), Right(Images, 989 + 2 * s)));
            cells.Add(Cell(Recipe("elu", seed), Right(Images, 990)));
            cells.Add(Cell(Recipe("noisy_relu", seed), Right(Images, 700), seconds: 6));
            cells.Add(Cell(Recipe("relu_softsign", seed), Right(Images, 990)));
            cells.Add(Cell(Recipe("relu", seed, architecture: "enhanced"), Right(Images, 995)));
            cells.Add(Cell(Recipe("relu_softsign", seed, architecture: "enhanced"), Right(Images, 985)));
            cells.Add(Cell(Recipe("relu", seed, architecture: "narrow"), Right(Images, 960), dead: (0, 10)));
            cells.Add(Cell(Recipe("relu_softsign", seed, architecture: "narrow"), Right(Images, 990)));
            cells.Add(Cell(Recipe("relu", seed, "high-lr", ExperimentKind.HighLearningRate, architecture: "enhanced", learningRate: 0.02f), Right(Images, 900), dead: (0, 10)));
            cells.Add(Cell(Recipe("relu_softsign", seed, "high-lr", ExperimentKind.HighLearningRate, architecture: "enhanced", learningRate: 0.02f), Right(Images, 980)));
            cells.Add(Cell(Recipe("relu", seed, "lr-0.025", ExperimentKind.LearningRateSweep, learningRate: 0.025f), Right(Images, 950)));
            cells.Add(Cell(Recipe("relu_softsign", seed, "lr-0.025", ExperimentKind.LearningRateSweep, learningRate: 0.025f), Right(Images, 985)));
        }
        cells.Add(Cell(Recipe("relu", 1, "epochs-2", ExperimentKind.EpochChoice, epochs: 2), Right(Images, 980), validation: 0.98));
        cells.Add(Cell(Recipe("relu", 1, "epochs-3", ExperimentKind.EpochChoice, epochs: 3), Right(Images, 980), validation: 0.99));
        return cells;
    }

    private string WriteReadme(IReadOnlyList<StudyCell> cells)
    {
        StudyReport.Write(cells, Plan, directory, PlanText);
        return File.ReadAllText(Path.Combine(directory, "README.md"));
    }

    private static double P(string text) => text == "< 0.001" ? 0.0005 : double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The text from <paramref name="heading"/> to the next heading of the same level.</summary>
    private static string Section(string readme, string heading)
    {
        int start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no heading {heading}");
        int end = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>The first table row of <paramref name="activation"/> after <paramref name="heading"/>, cells trimmed, the activation at 0.</summary>
    private static string[] Row(string readme, string heading, string activation)
    {
        int start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no heading {heading}");
        string line = readme[start..].Split('\n').First(line => line.StartsWith($"| {activation} |", StringComparison.Ordinal));
        return line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
    }

    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
