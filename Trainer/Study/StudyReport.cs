using System.Globalization;
using System.Text;
using System.Text.Json;
using Contracts;

namespace Trainer.Study;

/// <summary>
/// Turns the activation study's cell files into a README with tables and PNG plots. Works on any subset of the
/// planned cells, since the study is resumable and the report may be drawn while it still runs.
/// </summary>
public static class StudyReport
{
    private const string FindingsFile = "findings.md";

    // The same options the study writes its cells with.
    private static readonly JsonSerializerOptions json = StudyRunner.JsonOptions;

    /// <summary>Writes <c>README.md</c> and the plots into <paramref name="outputDirectory"/>.</summary>
    /// <param name="cells">The finished runs, in any order.</param>
    /// <param name="outputDirectory">Created if missing. A <c>findings.md</c> there is included verbatim as "What it shows".</param>
    /// <param name="planMarkdown">Inserted verbatim as "How it was run": epochs per cell, what was cut.</param>
    /// <returns>The paths written, README first.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<StudyCell> cells, string outputDirectory, string planMarkdown)
    {
        Directory.CreateDirectory(outputDirectory);
        var sorted = StudyOrder.Sort(cells).ToList();
        IReadOnlyList<string> plots = StudyPlots.Write(sorted, outputDirectory);
        string findingsPath = Path.Combine(outputDirectory, FindingsFile);
        string? findings = File.Exists(findingsPath) ? File.ReadAllText(findingsPath) : null;
        string readme = Path.Combine(outputDirectory, "README.md");
        File.WriteAllText(readme, Markdown(sorted, plots.Select(Path.GetFileName).OfType<string>().ToList(), planMarkdown, findings));
        return [readme, .. plots];
    }

    /// <summary>Reads every <c>*.json</c> under <paramref name="cellsDirectory"/>, subfolders included.</summary>
    /// <returns>The cells ordered by experiment, dataset, architecture, activation, seed, then file path.</returns>
    /// <exception cref="InvalidDataException">A file is not a complete study cell.</exception>
    public static IReadOnlyList<StudyCell> Load(string cellsDirectory)
    {
        var cells = new List<(string Path, StudyCell Cell)>();
        foreach (string path in Directory.EnumerateFiles(cellsDirectory, "*.json", SearchOption.AllDirectories))
        {
            StudyCell? cell;
            try
            {
                cell = JsonSerializer.Deserialize<StudyCell>(File.ReadAllText(path), json);
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{path} is not a study cell: {exception.Message}", exception);
            }
            cells.Add((path, cell ?? throw new InvalidDataException($"{path} is not a study cell: it holds null")));
        }
        return StudyOrder.Sort(cells, entry => entry.Cell)
            .ThenBy(entry => entry.Path, StringComparer.Ordinal)
            .Select(entry => entry.Cell)
            .ToList();
    }

    private static string Markdown(IReadOnlyList<StudyCell> cells, IReadOnlyList<string> plots, string planMarkdown, string? findings)
    {
        var text = new StringBuilder();
        var standard = cells.Where(cell => cell.Experiment == StudyOrder.Standard).ToList();
        var highLearningRate = cells.Where(cell => cell.Experiment == StudyOrder.HighLearningRate).ToList();
        var longer = cells.Where(cell => cell.Experiment == StudyOrder.Longer).ToList();

        text.AppendLine("# Activation study").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{cells.Count} finished runs: {standard.Count} standard, {highLearningRate.Count} with a high learning rate, {longer.Count} trained longer. ")
            .AppendLine("Generated from the runs' JSON files; regenerate rather than edit (a `findings.md` beside this file is kept).");
        text.AppendLine();

        if (findings is not null)
            text.AppendLine("## What it shows").AppendLine().AppendLine(findings.Trim()).AppendLine();

        AppendStandard(text, standard);
        AppendHighLearningRate(text, highLearningRate);
        AppendLonger(text, longer, standard);

        if (plots.Count > 0)
        {
            text.AppendLine("## Plots").AppendLine();
            foreach (string plot in plots)
                text.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})").AppendLine();
        }

        text.AppendLine("## How it was run").AppendLine().AppendLine(planMarkdown.Trim()).AppendLine();
        AppendMeasurementNoise(text, standard.Count > 0 ? standard : cells);
        return text.ToString();
    }

    private static void AppendStandard(StringBuilder text, IReadOnlyList<StudyCell> standard)
    {
        text.AppendLine("## Test accuracy").AppendLine();
        if (standard.Count == 0)
        {
            text.AppendLine("No standard runs yet.").AppendLine();
            return;
        }
        text.AppendLine("Accuracy of the kept (best-validation) weights on the test set, mean ± sample standard deviation over seeds. " +
                        "Dead and dormant units are those of the kept weights, pooled over all activation layers (dead units / units), " +
                        "mean over seeds; the per-layer figures are dead %.").AppendLine();

        foreach (var block in standard.GroupBy(cell => (cell.Dataset, cell.Architecture)))
        {
            var rows = block.GroupBy(cell => cell.Activation).Select(group => new ActivationRow(group.Key, group.ToList())).ToList();
            ActivationRow best = rows.MaxBy(row => row.Mean)!;
            string targets = string.Join(", ", block.Select(cell => cell.TargetAccuracy).Distinct().Order().Select(target => Percent(target, "0.#")));
            string testImages = string.Join(", ", block.Select(cell => cell.TestImages).Distinct().Order().Select(count => count.ToString("N0", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"### {StudyOrder.DatasetName(block.Key.Dataset)}, {block.Key.Architecture}").AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Target accuracy {targets} %; {testImages} test images.").AppendLine();
            text.AppendLine("| activation | test accuracy % | seeds | Δ vs best (pp) | within noise | best epoch | epochs to target | training s | dead % | dormant % | dead % per layer |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (ActivationRow row in rows)
            {
                string delta, noise;
                if (ReferenceEquals(row, best))
                {
                    (delta, noise) = ("best", "—");
                }
                else
                {
                    double difference = row.Mean - best.Mean;
                    double threshold = StudyStatistics.NoiseThreshold(row.Std, row.Count, best.Std, best.Count, best.Mean, best.Cells[0].TestImages);
                    (delta, noise) = (Percent(difference, "+0.00;-0.00;0.00"), Math.Abs(difference) <= threshold ? "yes" : "no");
                }
                text.Append(CultureInfo.InvariantCulture, $"| {row.Activation} | {row.AccuracyText} | {row.Count} | {delta} | {noise} | {row.BestEpoch:0.#} | {row.EpochsToTarget} | ")
                    .AppendLine(CultureInfo.InvariantCulture, $"{row.Seconds:0} | {Percent(row.Dead, "0.0")} | {Percent(row.Dormant, "0.0")} | {LayerDead(row.Cells.Select(cell => cell.Final))} |");
            }
            text.AppendLine();
            text.AppendLine("Δ is the row's mean minus the best mean, in percentage points. *Within noise* when |Δ| ≤ 2·√(s₁²/n₁ + s₂²/n₂ + 2·p(1−p)/N): " +
                            "s and n the two rows' standard deviations and seed counts (a single seed adds no seed term), p the best mean accuracy, " +
                            "N the test images. Epochs to target: mean over the seeds that reached it.").AppendLine();
        }
        AppendMissing(text, standard);
    }

    // Only an estimate of the plan: the full grid of the datasets, architectures, activations and seeds seen in the runs.
    private static void AppendMissing(StringBuilder text, IReadOnlyList<StudyCell> standard)
    {
        var present = standard.Select(cell => (cell.Dataset, cell.Architecture, cell.Activation, cell.Seed)).ToHashSet();
        var seeds = standard.Select(cell => cell.Seed).Distinct().Order().ToList();
        var missing =
            from dataset in standard.Select(cell => cell.Dataset).Distinct().Order(StudyOrder.Datasets)
            from architecture in standard.Select(cell => cell.Architecture).Distinct().Order(StudyOrder.Architectures)
            from activation in standard.Select(cell => cell.Activation).Distinct().Order(StudyOrder.Activations)
            let absent = seeds.Where(seed => !present.Contains((dataset, architecture, activation, seed))).ToList()
            where absent.Count > 0
            select string.Create(CultureInfo.InvariantCulture, $"{StudyOrder.DatasetName(dataset)}, {architecture}, {activation}: seed {string.Join(", ", absent)}");
        var lines = missing.ToList();
        if (lines.Count == 0)
            return;
        text.AppendLine("Not in the results yet (of the full grid of the datasets, architectures, activations and seeds that appear above):").AppendLine();
        foreach (string line in lines)
            text.AppendLine($"- {line}");
        text.AppendLine();
    }

    private static void AppendHighLearningRate(StringBuilder text, IReadOnlyList<StudyCell> runs)
    {
        text.AppendLine("## High learning rate").AppendLine();
        if (runs.Count == 0)
        {
            text.AppendLine("No high-learning-rate runs yet.").AppendLine();
            return;
        }
        text.AppendLine("Dead units per layer (%) of the freshly initialised network, at the epoch with the most dead units over all layers, " +
                        "and of the kept weights.").AppendLine();
        text.AppendLine("| dataset, architecture | activation | seed | learning rate | test accuracy % | dead % at initialisation | dead % at worst epoch | dead % final |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (StudyCell run in runs)
        {
            StudyEpoch? worst = run.History.Count == 0 ? null : run.History.MaxBy(epoch => StudyStatistics.PooledDead(epoch.Units));
            string worstText = worst is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"epoch {worst.Epoch}: {LayerDead([worst.Units])}");
            text.Append(CultureInfo.InvariantCulture, $"| {StudyOrder.DatasetName(run.Dataset)}, {run.Architecture} | {run.Activation} | {run.Seed} | {run.LearningRate:0.#####} | ")
                .AppendLine(CultureInfo.InvariantCulture, $"{Percent(run.TestAccuracy, "0.00")} | {LayerDead([run.Initial])} | {worstText} | {LayerDead([run.Final])} |");
        }
        text.AppendLine();
    }

    // Runs given more epochs than the study could afford for every cell, beside the standard run of the same seed.
    private static void AppendLonger(StringBuilder text, IReadOnlyList<StudyCell> runs, IReadOnlyList<StudyCell> standard)
    {
        if (runs.Count == 0)
            return;
        text.AppendLine("## Longer training").AppendLine();
        text.AppendLine("The same cells with more epochs, to show what the study's epoch budget cost.").AppendLine();
        text.AppendLine("| dataset, architecture | activation | seed | epochs | test accuracy % | best epoch | dead % final | standard run: epochs, test accuracy % |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (StudyCell run in runs)
        {
            StudyCell? same = standard.FirstOrDefault(cell =>
                cell.Dataset == run.Dataset && cell.Architecture == run.Architecture && cell.Activation == run.Activation && cell.Seed == run.Seed);
            string comparison = same is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{same.Epochs}, {Percent(same.TestAccuracy, "0.00")}");
            text.Append(CultureInfo.InvariantCulture, $"| {StudyOrder.DatasetName(run.Dataset)}, {run.Architecture} | {run.Activation} | {run.Seed} | {run.Epochs} | ")
                .AppendLine(CultureInfo.InvariantCulture, $"{Percent(run.TestAccuracy, "0.00")} | {run.BestEpoch} | {LayerDead([run.Final])} | {comparison} |");
        }
        text.AppendLine();
    }

    private static void AppendMeasurementNoise(StringBuilder text, IReadOnlyList<StudyCell> cells)
    {
        if (cells.Count == 0)
            return;
        text.AppendLine("### How precise one accuracy is").AppendLine();
        text.AppendLine("One test-accuracy measurement on N images is a binomial proportion; at accuracy p its standard error is √(p(1−p)/N):").AppendLine();
        foreach (var dataset in cells.GroupBy(cell => cell.Dataset).OrderBy(group => group.Key, StudyOrder.Datasets))
        {
            int testImages = dataset.Max(cell => cell.TestImages);
            double accuracy = StudyStatistics.Mean(dataset.Select(cell => cell.TestAccuracy));
            double error = StudyStatistics.BinomialStandardError(accuracy, testImages);
            text.Append(CultureInfo.InvariantCulture, $"- {StudyOrder.DatasetName(dataset.Key)}: N = {testImages:N0}, observed mean accuracy {Percent(accuracy, "0.00")} % → ")
                .AppendLine(CultureInfo.InvariantCulture, $"standard error {Percent(error, "0.000")} pp; two single runs differing by less than 2·√2 standard errors, {Percent(2 * Math.Sqrt(2) * error, "0.00")} pp, are within measurement noise.");
        }
        text.AppendLine();
    }

    /// <summary>Dead % per layer, mean over the snapshots, e.g. <c>conv1 0 / conv2 3 / dense1 12</c>.</summary>
    private static string LayerDead(IEnumerable<UnitSnapshot> snapshots)
    {
        var layers = snapshots.SelectMany(snapshot => snapshot.Layers).ToList();
        if (layers.Count == 0)
            return "—";
        return string.Join(" / ", layers.GroupBy(layer => layer.Layer)
            .Select(layer => $"{layer.Key} {Percent(layer.Average(units => units.DeadFraction), "0.#")}"));
    }

    private static string Percent(double fraction, string format) => (100 * fraction).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One activation's runs within a (dataset, architecture) block.</summary>
    private sealed class ActivationRow
    {
        public ActivationRow(string activation, IReadOnlyList<StudyCell> cells)
        {
            Activation = activation;
            Cells = cells;
            var accuracies = cells.Select(cell => cell.TestAccuracy).ToList();
            Mean = StudyStatistics.Mean(accuracies);
            Std = StudyStatistics.SampleStandardDeviation(accuracies);
        }

        public string Activation { get; }

        public IReadOnlyList<StudyCell> Cells { get; }

        public int Count => Cells.Count;

        public double Mean { get; }

        public double Std { get; }

        public string AccuracyText => double.IsNaN(Std) ? Percent(Mean, "0.00") : $"{Percent(Mean, "0.00")} ± {Percent(Std, "0.00")}";

        public double BestEpoch => StudyStatistics.Mean(Cells.Select(cell => (double)cell.BestEpoch));

        public double Seconds => StudyStatistics.Mean(Cells.Select(cell => cell.TrainingSeconds));

        public double Dead => StudyStatistics.Mean(Cells.Select(cell => StudyStatistics.PooledDead(cell.Final)));

        public double Dormant => StudyStatistics.Mean(Cells.Select(cell => StudyStatistics.PooledDormant(cell.Final)));

        public string EpochsToTarget
        {
            get
            {
                var reached = Cells.Where(cell => cell.EpochsToTarget is not null).Select(cell => (double)cell.EpochsToTarget!.Value).ToList();
                if (reached.Count == 0)
                    return "—";
                string mean = StudyStatistics.Mean(reached).ToString("0.#", CultureInfo.InvariantCulture);
                return reached.Count == Count ? mean : string.Create(CultureInfo.InvariantCulture, $"{mean} ({reached.Count}/{Count} reached)");
            }
        }
    }
}
