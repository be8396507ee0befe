using System.Globalization;
using System.Text;

namespace Trainer.Study;

/// <summary>
/// The report's findings, written from the measured numbers alone: which differences are beyond noise, where the
/// article's claim for its activation holds and where it does not, and what dead units cost. Nothing here is a
/// sentence prepared in advance of the results; a finding with no cells behind it is left out.
/// </summary>
internal static class StudyFindings
{
    public static string Write(StudyAnalysis analysis)
    {
        var text = new StringBuilder();
        if (analysis.Cells.Count == 0)
            return "No runs yet.";
        string reference = StudyReport.ReferenceActivation;

        if (analysis.Standard.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"**Accuracy.** Beyond noise means a Holm-adjusted paired-bootstrap p below 0.05 against {reference} on the same test images; intervals are 95 % Student-t over seeds.").AppendLine();
            foreach (StudyBlock block in analysis.Standard)
                text.AppendLine(CultureInfo.InvariantCulture, $"- {BlockSentence(block)}");
            text.AppendLine();
            AppendClaim(text, analysis);
            AppendDeadUnits(text, analysis);
        }
        AppendSweeps(text, analysis);
        AppendHighLearningRate(text, analysis);
        AppendEpochs(text, analysis);
        return text.ToString();
    }

    private static string BlockSentence(StudyBlock block)
    {
        StudyBlockRow best = block.Best;
        StudyBlockRow reference = block.ReferenceRow;
        var sentence = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"*{block.Title}* ({StudyReport.Epochs(block.Epochs)}, {block.SeedsText()}): the highest mean is {best.Activation}'s {StudyReport.AccuracyWithInterval(best)} %"));
        if (best != reference)
            sentence.Append(CultureInfo.InvariantCulture, $"; {reference.Activation} has {StudyReport.AccuracyWithInterval(reference)} %");
        var others = block.Rows.Where(row => row != reference).ToList();
        if (others.Count == 0)
            return sentence.Append('.').ToString();
        sentence.Append(CultureInfo.InvariantCulture, $". Against {reference.Activation}: ");
        var parts = new List<string>();
        var better = others.Where(row => row.BeyondNoise && row.Difference!.Difference > 0).ToList();
        var worse = others.Where(row => row.BeyondNoise && row.Difference!.Difference < 0).ToList();
        var within = others.Where(row => !row.BeyondNoise).ToList();
        if (better.Count > 0)
            parts.Add("better beyond noise " + Listed(better));
        if (worse.Count > 0)
            parts.Add("worse beyond noise " + Listed(worse));
        if (within.Count > 0)
            parts.Add("within noise " + string.Join(", ", within.Select(row => row.Activation)));
        return sentence.Append(string.Join("; ", parts)).Append('.').ToString();
    }

    private static string Listed(IEnumerable<StudyBlockRow> rows) =>
        string.Join(", ", rows.Select(row => $"{row.Activation} ({StudyReport.Signed(row.Difference!.Difference)} pp, Holm p {StudyReport.PValue(row.AdjustedP!.Value)})"));

    // The article claims its activation does better than the others; each block says where that holds.
    private static void AppendClaim(StringBuilder text, StudyAnalysis analysis)
    {
        string reference = StudyReport.ReferenceActivation;
        var blocks = analysis.Standard.Where(block => block.Reference == reference && block.Rows.Count > 1).ToList();
        if (blocks.Count == 0)
            return;
        text.AppendLine(CultureInfo.InvariantCulture, $"**The article's claim for {reference}.**").AppendLine();
        var best = blocks.Where(block => block.Best.Activation == reference).Select(block => block.Title).ToList();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- It has the highest mean in {best.Count} of {blocks.Count} blocks{(best.Count > 0 ? $" ({string.Join("; ", best)})" : "")}.");
        foreach (string activation in analysis.ActivationOrder.Where(id => id != reference))
        {
            var rows = blocks.Select(block => (Block: block, Row: block.Rows.FirstOrDefault(row => row.Activation == activation))).Where(pair => pair.Row is not null).ToList();
            if (rows.Count == 0)
                continue;
            // The row is the other activation minus the reference: the reference wins where it is negative.
            var wins = rows.Where(pair => pair.Row!.BeyondNoise && pair.Row.Difference!.Difference < 0).Select(pair => pair.Block.Title).ToList();
            var losses = rows.Where(pair => pair.Row!.BeyondNoise && pair.Row.Difference!.Difference > 0).Select(pair => pair.Block.Title).ToList();
            var ties = rows.Where(pair => !pair.Row!.BeyondNoise).Select(pair => pair.Block.Title).ToList();
            var parts = new List<string>();
            if (wins.Count > 0)
                parts.Add($"better beyond noise on {string.Join("; ", wins)}");
            if (losses.Count > 0)
                parts.Add($"worse beyond noise on {string.Join("; ", losses)}");
            if (ties.Count > 0)
                parts.Add($"within noise on {string.Join("; ", ties)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"- Against {activation}: {string.Join("; ", parts)}.");
        }
        // The article's other claim: its activation keeps the units that ReLU lets die.
        var deadPairs = analysis.Standard.Concat(analysis.HighLearningRate)
            .Select(block => (Block: block, Reference: block.Rows.FirstOrDefault(row => row.Activation == reference), Relu: block.Rows.FirstOrDefault(row => row.Activation == "relu")))
            .Where(pair => pair.Reference is not null && pair.Relu is not null)
            .ToList();
        if (deadPairs.Count > 0)
        {
            string Blocks(IEnumerable<(StudyBlock Block, StudyBlockRow? Reference, StudyBlockRow? Relu)> pairs) => string.Join("; ", pairs.Select(pair => string.Create(CultureInfo.InvariantCulture,
                $"{pair.Block.Title} ({StudyReport.Percent(pair.Reference!.Dead, "0.0")} % against {StudyReport.Percent(pair.Relu!.Dead, "0.0")} %)")));
            var fewer = deadPairs.Where(pair => pair.Reference!.Dead < pair.Relu!.Dead).ToList();
            var same = deadPairs.Where(pair => pair.Reference!.Dead == pair.Relu!.Dead).ToList();
            var more = deadPairs.Where(pair => pair.Reference!.Dead > pair.Relu!.Dead).ToList();
            var parts = new List<string>();
            if (fewer.Count > 0)
                parts.Add($"fewer than relu's on {Blocks(fewer)}");
            if (same.Count > 0)
                parts.Add($"as many on {Blocks(same)}");
            if (more.Count > 0)
                parts.Add($"more on {Blocks(more)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"- Dead units of the kept weights, all layers, mean over seeds: {string.Join("; ", parts)}.");
        }
        text.AppendLine();
    }

    private static void AppendDeadUnits(StringBuilder text, StudyAnalysis analysis)
    {
        text.AppendLine("**Dead units**: no gradient flows through them on any test image (kept weights, mean over seeds).").AppendLine();
        foreach (StudyBlock block in analysis.Standard)
        {
            var dying = block.Rows.Where(row => row.Dead > 0).OrderByDescending(row => row.Dead).ToList();
            var none = block.Rows.Where(row => row.Dead == 0).Select(row => row.Activation).ToList();
            string dyingText = dying.Count == 0
                ? "no activation ends with a dead unit"
                : string.Join("; ", dying.Select(row => string.Create(CultureInfo.InvariantCulture,
                    $"{row.Activation} {StudyReport.Percent(row.Dead, "0.0")} % of all units ({StudyReport.LayerDead(row.DeadByLayer(cell => cell.Final))})")));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- *{block.Title}*: {dyingText}{(dying.Count > 0 && none.Count > 0 ? $"; none dead for {string.Join(", ", none)}" : "")}.");
        }
        // The narrow network's hidden layer is small enough for each dead unit to matter: set its losses beside the accuracies.
        foreach (StudyBlock block in analysis.Standard.Where(block => block.Architecture == "narrow"))
        {
            var hidden = block.Rows.Select(row => (Row: row, Layer: row.DeadByLayer(cell => cell.Final).LastOrDefault()))
                .Where(pair => pair.Layer.Units > 0 && pair.Layer.Dead > 0)
                .ToList();
            if (hidden.Count == 0)
                continue;
            var losses = hidden.Select(pair =>
            {
                string comparison = pair.Row.Difference is { } d
                    ? $" ({StudyReport.Signed(d.Difference)} pp against {block.Reference}, {StudyReport.Verdict(pair.Row)})"
                    : " (the reference)";
                return string.Create(CultureInfo.InvariantCulture,
                    $"{pair.Row.Activation} loses {pair.Layer.Dead * pair.Layer.Units:0.#} units on average and has {StudyReport.Percent(pair.Row.Mean, "0.00")} %{comparison}");
            });
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- *{block.Title}*, its {hidden[0].Layer.Layer} of {hidden[0].Layer.Units} units: {string.Join("; ", losses)}.");
        }
        text.AppendLine();
    }

    private static void AppendSweeps(StringBuilder text, StudyAnalysis analysis)
    {
        if (analysis.Sweeps.Count == 0)
            return;
        text.AppendLine("**Learning rate.**").AppendLine();
        foreach (IReadOnlyList<StudyBlock> sweep in analysis.Sweeps)
        {
            foreach (StudyBlock block in sweep)
            {
                var beyond = block.Rows.Where(row => row.BeyondNoise).ToList();
                string verdicts = beyond.Count == 0 ? $"no difference from {block.Reference} beyond noise." : $"beyond noise against {block.Reference}: {Listed(beyond)}.";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"- *{block.Title}* ({block.SeedsText()}): highest mean {block.Best.Activation} {StudyReport.AccuracyWithInterval(block.Best)} %; {verdicts}");
            }
        }
        text.AppendLine();
    }

    private static void AppendHighLearningRate(StringBuilder text, StudyAnalysis analysis)
    {
        if (analysis.HighLearningRate.Count == 0)
            return;
        text.AppendLine("**High learning rate.** Dead units over all layers, mean over seeds: the worst epoch (validation images) → the kept weights (test images); then the test accuracy.").AppendLine();
        foreach (StudyBlock block in analysis.HighLearningRate)
        {
            var rows = block.Rows.OrderByDescending(row => row.Dead).Select(row =>
            {
                double worst = StudyStatistics.Mean(row.Cells.Select(cell => cell.History.Max(epoch => StudyStatistics.PooledDead(epoch.Units))));
                string verdict = !row.BeyondNoise ? "" : row.Difference!.Difference > 0 ? $" (beyond noise better than {block.Reference})" : $" (beyond noise worse than {block.Reference})";
                return $"{row.Activation} {StudyReport.Percent(worst, "0.0")} % → {StudyReport.Percent(row.Dead, "0.0")} %, {StudyReport.AccuracyWithInterval(row)} %{verdict}";
            });
            text.AppendLine(CultureInfo.InvariantCulture, $"- *{block.Title}* ({block.SeedsText()}): {string.Join("; ", rows)}.");
        }
        text.AppendLine();
    }

    private static void AppendEpochs(StringBuilder text, StudyAnalysis analysis)
    {
        var chosen = analysis.Plan.EpochChoices
            .Select(choice => (Choice: choice, Epochs: choice.Choose(analysis.Pilots, analysis.ActivationOrder)))
            .Where(pair => pair.Epochs is not null)
            .ToList();
        if (chosen.Count == 0)
            return;
        text.AppendLine("**Epochs.** Chosen by the pilots on validation accuracy: " +
                        string.Join("; ", chosen.Select(pair => string.Create(CultureInfo.InvariantCulture,
                            $"{StudyAnalysis.Title(pair.Choice.Dataset, pair.Choice.Architecture)} {pair.Epochs} of {string.Join(" or ", pair.Choice.Candidates)}"))) + ".");
        // A block that took its longest candidate was still gaining at the end of the range tried.
        var longest = chosen.Where(pair => pair.Epochs == pair.Choice.Candidates.Max() && pair.Choice.Candidates.Count > 1).ToList();
        if (longest.Count > 0)
            text.AppendLine(" The longest length tried was chosen for " + string.Join("; ", longest.Select(pair => StudyAnalysis.Title(pair.Choice.Dataset, pair.Choice.Architecture))) +
                            ": its validation accuracy still rose from the shorter length by more than the tolerance, so longer training might still gain there.");
        text.AppendLine();
    }
}
