using System.Globalization;
using System.Text;

namespace Trainer.Study;

/// <summary>
/// Turns the activation study's cells into a README with tables, generated findings and PNG plots. Works on any
/// subset of the planned cells, since the study is resumable and the report may be drawn while it still runs.
/// Every sentence and figure in it is computed from the cells.
/// </summary>
public static class StudyReport
{
    /// <summary>The article's activation, whose claims the study tests: every table compares the others with it.</summary>
    public const string ReferenceActivation = "relu_softsign";

    /// <summary>Writes <c>README.md</c> and the plots into <paramref name="outputDirectory"/>.</summary>
    /// <param name="cells">The finished runs of <paramref name="plan"/>, in any order.</param>
    /// <param name="plan">The plan they belong to: its activation order and experiments shape the tables.</param>
    /// <param name="outputDirectory">Created if missing.</param>
    /// <param name="planMarkdown">Inserted verbatim as "How it was run" (<see cref="StudyRunner.Describe"/>).</param>
    /// <returns>The paths written, README first.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<StudyCell> cells, StudyPlan plan, string outputDirectory, string planMarkdown)
    {
        Directory.CreateDirectory(outputDirectory);
        StudyAnalysis analysis = StudyAnalysis.Create(cells, plan);
        IReadOnlyList<string> plots = StudyPlots.Write(analysis, outputDirectory);
        string readme = Path.Combine(outputDirectory, "README.md");
        File.WriteAllText(readme, Markdown(analysis, plots.Select(Path.GetFileName).OfType<string>().ToList(), planMarkdown));
        return [readme, .. plots];
    }

    private static string Markdown(StudyAnalysis analysis, IReadOnlyList<string> plots, string planMarkdown)
    {
        var text = new StringBuilder();
        text.AppendLine("# Activation study").AppendLine();
        AppendOverview(text, analysis);
        text.AppendLine("## Findings").AppendLine();
        text.AppendLine(StudyFindings.Write(analysis).Trim()).AppendLine();

        text.AppendLine("## Test accuracy").AppendLine();
        if (analysis.Standard.Count == 0)
            text.AppendLine("No standard runs yet.").AppendLine();
        else
            AppendHowToRead(text, analysis);
        foreach (StudyBlock block in analysis.Standard)
            AppendBlock(text, block);

        AppendSweeps(text, analysis);
        AppendHighLearningRate(text, analysis);
        AppendPilots(text, analysis);
        AppendSecondsPerEpoch(text, analysis);

        if (plots.Count > 0)
        {
            text.AppendLine("## Plots").AppendLine();
            foreach (string plot in plots)
                text.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})").AppendLine();
        }

        text.AppendLine("## How it was run").AppendLine().AppendLine(planMarkdown.Trim()).AppendLine();
        return text.ToString();
    }

    private static void AppendOverview(StringBuilder text, StudyAnalysis analysis)
    {
        var cells = analysis.Cells;
        int Count(ExperimentKind kind) => cells.Count(cell => cell.Recipe.Kind == kind);
        text.Append(CultureInfo.InvariantCulture,
            $"{cells.Count} finished runs: {Count(ExperimentKind.Standard)} standard, {Count(ExperimentKind.EpochChoice)} pilots, " +
            $"{Count(ExperimentKind.LearningRateSweep)} in the learning-rate sweep, {Count(ExperimentKind.HighLearningRate)} at a high learning rate; ");
        text.Append(CultureInfo.InvariantCulture, $"{StudyEstimate.Duration(TimeSpan.FromSeconds(cells.Sum(cell => cell.TrainingSeconds)))} of training in all. ");
        var machines = cells.Select(cell => cell.Machine).Distinct().ToList();
        var commits = cells.Select(cell => cell.CodeCommit).Distinct().ToList();
        if (cells.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Study code version {cells[0].Recipe.CodeVersion}; ")
                .Append(commits.Count == 1 ? $"built from commit {Short(commits[0])}" : $"built from commits {string.Join(", ", commits.Select(Short))}")
                .Append("; run on ").Append(string.Join(" and ", machines)).Append(". ");
        }
        text.AppendLine("Generated from the runs' JSON files in `cells/`; regenerate rather than edit.").AppendLine();
    }

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    private static void AppendHowToRead(StringBuilder text, StudyAnalysis analysis)
    {
        var seedCounts = analysis.Standard.SelectMany(block => block.Rows).Select(row => row.Count).Where(n => n > 1).Distinct().Order().ToList();
        string quantiles = string.Join(", ", seedCounts.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"{StudyStatistics.StudentTQuantile(0.5 + StudyStatistics.Confidence / 2, n - 1):0.000} for {n} seeds")));
        text.AppendLine("How to read the tables:").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- *Test accuracy*: of the kept weights (the epoch with the best validation accuracy) on the official test images; the mean over seeds and its " +
            $"95 % Student-t interval, mean ± t·s/√n with t the 97.5th percentile of t with n − 1 degrees of freedom ({quantiles}). The interval shows how much a result moves from seed to seed.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- *Δ vs {ReferenceActivation}*: the row's seed-mean accuracy minus {ReferenceActivation}'s, in percentage points, measured on the same test images. " +
            $"Per image, the share of the row's seeds that got it right minus the share of {ReferenceActivation}'s; the mean over the images is Δ. " +
            $"A paired bootstrap over the test images ({StudyStatistics.BootstrapResamples:N0} resamples, each image keeping every seed's answers) gives its 95 % interval and a two-sided p-value.");
        text.AppendLine("- *Holm p*: the p-value after Holm's correction over the table's comparisons; a difference is **beyond noise** when it is below 0.05, so that the chance of any false " +
                        "\"beyond noise\" in a table stays under 5 %. The bootstrap rather than McNemar's test pooled over seeds: pooling counts an image once per pair of seeds, " +
                        "as if it were a new image each time, though an image that is hard for one seed is hard for the others; resampling whole images keeps that dependence. " +
                        "The test is about the finite test set; the spread between seeds is what the t-interval shows.");
        text.AppendLine("- *Dead*, *dormant* and *collapsed*: units of the kept weights as the unit census counts them on the test images (dead: no gradient flows through the unit " +
                        "on any of them; dormant: its mean |output| is at most a tenth of its layer's mean; collapsed: its output hardly varies), over all activation layers, " +
                        "mean over seeds; dead units per layer beside them.");
        text.AppendLine();
    }

    private static void AppendBlock(StringBuilder text, StudyBlock block, string heading = "###")
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"{heading} {block.Title}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Epochs(block.Epochs)}, learning rate {block.LearningRate.ToString(CultureInfo.InvariantCulture)}, {block.SeedsText()}; {block.Rows[0].Cells[0].TestImages:N0} test images.").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| activation | seeds | test accuracy % (95 % CI) | validation % | Δ vs {block.Reference}, pp (95 % CI) | p | Holm p | verdict | best epoch | dead % | dead % per layer | dormant % | collapsed % |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (StudyBlockRow row in block.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Activation} | {row.Count} | {AccuracyWithInterval(row)} | {Percent(row.ValidationMean, "0.00")} | ");
            text.Append(row.Difference is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"{Signed(d.Difference)} ({Signed(d.Low)}, {Signed(d.High)}) | {PValue(d.PValue)} | {PValue(row.AdjustedP!.Value)} | {Verdict(row)} | ")
                : "reference | — | — | — | ");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.BestEpochMean:0.#} | {Percent(row.Dead, "0.0")} | {LayerDead(row.DeadByLayer(cell => cell.Final))} | {Percent(row.Dormant, "0.0")} | {(row.Collapsed is { } collapsed ? Percent(collapsed, "0.0") : "—")} |");
        }
        text.AppendLine();
    }

    private static void AppendSweeps(StringBuilder text, StudyAnalysis analysis)
    {
        if (analysis.Sweeps.Count == 0)
            return;
        text.AppendLine("## Learning rate").AppendLine();
        text.AppendLine("The same network and seeds at other learning rates (the default's runs are the standard ones, cut to the sweep's seeds): " +
                        "does the ranking of the activations depend on the rate?").AppendLine();
        foreach (IReadOnlyList<StudyBlock> sweep in analysis.Sweeps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {StudyAnalysis.Title(sweep[0].Dataset, sweep[0].Architecture)}: test accuracy % (95 % CI) by learning rate").AppendLine();
            text.AppendLine("| activation | " + string.Join(" | ", sweep.Select(block => block.LearningRate.ToString(CultureInfo.InvariantCulture))) + " |");
            text.AppendLine("|---|" + string.Concat(sweep.Select(_ => "---|")));
            foreach (string activation in sweep.SelectMany(block => block.Rows.Select(row => row.Activation)).Distinct())
            {
                var cells = sweep.Select(block => block.Rows.FirstOrDefault(row => row.Activation == activation))
                    .Select(row => row is null ? "—" : AccuracyWithInterval(row) + (row.BeyondNoise ? $" ({Verdict(row)})" : ""));
                text.AppendLine(CultureInfo.InvariantCulture, $"| {activation} | {string.Join(" | ", cells)} |");
            }
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"In parentheses: beyond noise against {sweep[0].Reference} at the same rate (Holm over each rate's comparisons). Each rate in full:").AppendLine();
            foreach (StudyBlock block in sweep)
                AppendBlock(text, block, "####");
        }
    }

    private static void AppendHighLearningRate(StringBuilder text, StudyAnalysis analysis)
    {
        if (analysis.HighLearningRate.Count == 0)
            return;
        text.AppendLine("## High learning rate").AppendLine();
        text.AppendLine("A learning rate ten times the default, to provoke dying units. Dead units per layer (%), mean over seeds: of the freshly initialised network and at each seed's " +
                        "epoch with the most dead units over all layers (both on the validation images), and of the kept weights (on the test images).").AppendLine();
        foreach (StudyBlock block in analysis.HighLearningRate)
        {
            AppendBlock(text, block);
            text.AppendLine("| activation | seeds | dead % at initialisation | worst epoch(s) | dead % at the worst epoch | dead % of the kept weights |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (StudyBlockRow row in block.Rows)
            {
                var worst = row.Cells.Select(cell => cell.History.MaxBy(epoch => StudyStatistics.PooledDead(epoch.Units))!).ToList();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Activation} | {row.Count} | {LayerDead(row.DeadByLayer(cell => cell.Initial))} | {string.Join(", ", worst.Select(epoch => epoch.Epoch))} | " +
                    $"{LayerDead(worst.SelectMany(epoch => epoch.Units.Layers).GroupBy(layer => layer.Layer).Select(layer => (layer.Key, layer.First().Units, layer.Average(units => units.DeadFraction))).ToList())} | " +
                    $"{LayerDead(row.DeadByLayer(cell => cell.Final))} |");
            }
            text.AppendLine();
        }
    }

    private static void AppendPilots(StringBuilder text, StudyAnalysis analysis)
    {
        var pilots = analysis.Pilots;
        if (pilots.Count == 0)
            return;
        text.AppendLine("## Epochs, chosen on validation accuracy").AppendLine();
        text.AppendLine("Each block's epochs come from pilot runs of every candidate length (each a complete cosine schedule); the block gets the shortest length whose mean " +
                        "validation accuracy is within the plan's tolerance of the best length's. Test accuracy plays no part.").AppendLine();
        text.AppendLine("| dataset, network | epochs | activations | seeds | mean validation accuracy % | chosen |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (EpochChoice choice in analysis.Plan.EpochChoices)
        {
            int? chosen = choice.Choose(pilots, analysis.ActivationOrder);
            foreach (int epochs in choice.Candidates)
            {
                var runs = pilots.Where(cell => cell.Recipe.Dataset == choice.Dataset && cell.Recipe.Architecture == choice.Architecture && cell.Recipe.Epochs == epochs).ToList();
                if (runs.Count == 0)
                    continue;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {StudyAnalysis.Title(choice.Dataset, choice.Architecture)} | {epochs} | {string.Join(", ", runs.Select(cell => cell.Recipe.Activation).Distinct())} | " +
                    $"{StudyBlock.SeedRange(runs.Select(cell => cell.Recipe.Seed))} | {Percent(StudyStatistics.Mean(runs.Select(cell => cell.ValidationAccuracy)), "0.00")} | {(chosen == epochs ? "**chosen**" : "")} |");
            }
        }
        text.AppendLine();
    }

    private static void AppendSecondsPerEpoch(StringBuilder text, StudyAnalysis analysis)
    {
        if (analysis.Standard.Count == 0)
            return;
        text.AppendLine("## Training time per epoch").AppendLine();
        text.AppendLine("Seconds per epoch (training and the validation pass), mean over every epoch of every seed of the standard runs; in parentheses, relative to relu in the same column. " +
                        "Times are only comparable when the machine was otherwise idle; the cells record the machine, not how busy it was.").AppendLine();
        text.AppendLine("| activation | " + string.Join(" | ", analysis.Standard.Select(block => block.Title)) + " |");
        text.AppendLine("|---|" + string.Concat(analysis.Standard.Select(_ => "---:|")));
        foreach (string activation in analysis.Standard.SelectMany(block => block.Rows.Select(row => row.Activation)).Distinct())
        {
            var columns = analysis.Standard.Select(block =>
            {
                StudyBlockRow? row = block.Rows.FirstOrDefault(r => r.Activation == activation);
                StudyBlockRow? relu = block.Rows.FirstOrDefault(r => r.Activation == "relu");
                if (row is null)
                    return "—";
                string seconds = row.SecondsPerEpoch.ToString("0.0", CultureInfo.InvariantCulture);
                return relu is null ? seconds : string.Create(CultureInfo.InvariantCulture, $"{seconds} ({row.SecondsPerEpoch / relu.SecondsPerEpoch:0.00}×)");
            });
            text.AppendLine(CultureInfo.InvariantCulture, $"| {activation} | {string.Join(" | ", columns)} |");
        }
        text.AppendLine();
    }

    internal static string AccuracyWithInterval(StudyBlockRow row) =>
        double.IsNaN(row.HalfWidth)
            ? Percent(row.Mean, "0.00")
            : string.Create(CultureInfo.InvariantCulture, $"{Percent(row.Mean, "0.00")} ({Percent(row.Mean - row.HalfWidth, "0.00")}–{Percent(row.Mean + row.HalfWidth, "0.00")})");

    internal static string Verdict(StudyBlockRow row) =>
        row.Difference is null ? "reference"
        : !row.BeyondNoise ? "within noise"
        : row.Difference.Difference > 0 ? "**better**, beyond noise" : "**worse**, beyond noise";

    internal static string Signed(double fraction) => (100 * fraction).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

    internal static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A fraction in percent, a negative one with a true minus sign.</summary>
    internal static string Percent(double fraction, string format) =>
        (100 * fraction).ToString($"{format};−{format}", CultureInfo.InvariantCulture);

    /// <summary>"1 epoch", "15 epochs".</summary>
    public static string Epochs(int epochs) => epochs == 1 ? "1 epoch" : string.Create(CultureInfo.InvariantCulture, $"{epochs} epochs");

    /// <summary>Dead % per layer, e.g. <c>conv1 0 / dense1 12.5</c>.</summary>
    internal static string LayerDead(IReadOnlyList<(string Layer, int Units, double Dead)> layers) =>
        layers.Count == 0 ? "—" : string.Join(" / ", layers.Select(layer => $"{layer.Layer} {Percent(layer.Dead, "0.#")}"));
}
