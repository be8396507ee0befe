using System.Globalization;

namespace Trainer.Study;

/// <summary>
/// The cells of one table of the report: one experiment on one dataset and network, one row per activation, each
/// row compared with the reference activation by a paired bootstrap over the test images, with Holm's correction
/// over the block's comparisons.
/// </summary>
internal sealed class StudyBlock
{
    private StudyBlock(string title, StudyCell sample, IReadOnlyList<StudyBlockRow> rows, string reference)
    {
        Title = title;
        Experiment = sample.Recipe.Experiment;
        Kind = sample.Recipe.Kind;
        Dataset = sample.Recipe.Dataset;
        Architecture = sample.Recipe.Architecture;
        LearningRate = sample.Recipe.LearningRate;
        Epochs = sample.Recipe.Epochs;
        Rows = rows;
        Reference = reference;
    }

    /// <summary>The heading, e.g. "MNIST, enhanced".</summary>
    public string Title { get; }

    public string Experiment { get; }

    public ExperimentKind Kind { get; }

    public string Dataset { get; }

    public string Architecture { get; }

    public float LearningRate { get; }

    public int Epochs { get; }

    /// <summary>One row per activation, in the plan's order.</summary>
    public IReadOnlyList<StudyBlockRow> Rows { get; }

    /// <summary>The activation every other row is compared with.</summary>
    public string Reference { get; }

    /// <summary>The reference's row.</summary>
    public StudyBlockRow ReferenceRow => Rows.Single(row => row.Activation == Reference);

    /// <summary>The row with the best mean test accuracy.</summary>
    public StudyBlockRow Best => Rows.MaxBy(row => row.Mean)!;

    /// <summary>
    /// Builds the block of <paramref name="cells"/> (all of one experiment, dataset and network), comparing every
    /// activation with <paramref name="preferredReference"/> if it has cells, else with the first activation.
    /// </summary>
    public static StudyBlock Create(string title, IReadOnlyList<StudyCell> cells, IReadOnlyList<string> activationOrder, string preferredReference)
    {
        var rows = cells.GroupBy(cell => cell.Recipe.Activation)
            .OrderBy(group => Rank(activationOrder, group.Key)).ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new StudyBlockRow(group.Key, group.OrderBy(cell => cell.Recipe.Seed).ToList()))
            .ToList();
        string reference = rows.Any(row => row.Activation == preferredReference) ? preferredReference : rows[0].Activation;
        var block = new StudyBlock(title, cells[0], rows, reference);
        block.Compare();
        return block;
    }

    /// <summary>The seeds in words for a title: "seeds 1–5", or "seeds 1–5 (1–3 for prelu, selu)" when they differ.</summary>
    public string SeedsText()
    {
        var bySeeds = Rows.GroupBy(row => SeedRange(row.Cells.Select(cell => cell.Recipe.Seed))).OrderByDescending(group => group.Count()).ToList();
        string main = bySeeds[0].Key;
        string word = bySeeds.Count == 1 && !main.Contains('–') && !main.Contains(',') ? "seed" : "seeds";
        return bySeeds.Count == 1
            ? $"{word} {main}"
            : $"{word} {main} ({string.Join("; ", bySeeds.Skip(1).Select(group => $"{group.Key} for {string.Join(", ", group.Select(row => row.Activation))}"))})";
    }

    /// <summary>Seeds as a range where they are consecutive ("1–5"), else listed ("1, 3").</summary>
    public static string SeedRange(IEnumerable<int> seeds)
    {
        var sorted = seeds.Distinct().Order().ToList();
        return sorted.Count > 1 && sorted[^1] - sorted[0] == sorted.Count - 1
            ? string.Create(CultureInfo.InvariantCulture, $"{sorted[0]}–{sorted[^1]}")
            : string.Join(", ", sorted);
    }

    private static int Rank(IReadOnlyList<string> order, string activation)
    {
        int index = order.ToList().IndexOf(activation);
        return index < 0 ? int.MaxValue : index;
    }

    // Each comparison has its own fixed resampling seed, so the report reads the same every time and does not
    // depend on which other comparisons it holds.
    private void Compare()
    {
        StudyBlockRow reference = ReferenceRow;
        var others = Rows.Where(row => row != reference).ToList();
        var differences = new PairedDifference[others.Count];
        Parallel.For(0, others.Count, i =>
        {
            string name = $"{Experiment}/{Dataset}/{Architecture}/{others[i].Activation} vs {reference.Activation}";
            differences[i] = StudyStatistics.PairedBootstrap(others[i].Correct, reference.Correct, StudyStatistics.BootstrapResamples, StudyStatistics.StableSeed(name));
        });
        double[] adjusted = StudyStatistics.HolmAdjust(differences.Select(d => d.PValue).ToList());
        for (int i = 0; i < others.Count; i++)
            others[i].SetComparison(differences[i], adjusted[i]);
    }
}
