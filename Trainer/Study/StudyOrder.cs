using Engine.Activations;

namespace Trainer.Study;

/// <summary>The order, display names and colours the report uses for datasets, architectures and activations.</summary>
internal static class StudyOrder
{
    public const string Standard = "standard";
    public const string HighLearningRate = "high_lr";
    public const string Longer = "longer";

    private static readonly string[] experiments = [Standard, HighLearningRate, Longer];
    private static readonly string[] datasets = ["mnist", "fashion"];
    private static readonly string[] architectures = ["baseline", "enhanced"];
    // The registry's order: the article's six, then the modern activations.
    private static readonly string[] activations = [.. ActivationFunctions.All.Select(static a => a.Id)];

    /// <summary>Sorts known names in the study's order, unknown ones after them alphabetically.</summary>
    public static IComparer<string> Experiments { get; } = new RankComparer(experiments);

    public static IComparer<string> Datasets { get; } = new RankComparer(datasets);

    public static IComparer<string> Architectures { get; } = new RankComparer(architectures);

    public static IComparer<string> Activations { get; } = new RankComparer(activations);

    /// <summary>The colour an activation is drawn in, as <c>#rrggbb</c>: its own, from the registry; null for an unknown id.</summary>
    public static string? ActivationColour(string activation) =>
        ActivationFunctions.TryGet(activation, out ActivationFunction? function) ? function.Colour : null;

    public static string DatasetName(string dataset) => dataset switch
    {
        "mnist" => "MNIST",
        "fashion" => "Fashion-MNIST",
        _ => dataset,
    };

    /// <summary>Orders cells by experiment, dataset, architecture, activation and seed.</summary>
    public static IOrderedEnumerable<StudyCell> Sort(IEnumerable<StudyCell> cells) => Sort(cells, cell => cell);

    /// <summary>Orders items by their cells' experiment, dataset, architecture, activation and seed.</summary>
    public static IOrderedEnumerable<T> Sort<T>(IEnumerable<T> items, Func<T, StudyCell> cellOf) => items
        .OrderBy(item => cellOf(item).Experiment, Experiments)
        .ThenBy(item => cellOf(item).Dataset, Datasets)
        .ThenBy(item => cellOf(item).Architecture, Architectures)
        .ThenBy(item => cellOf(item).Activation, Activations)
        .ThenBy(item => cellOf(item).Seed);

    private sealed class RankComparer(string[] known) : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            int rankX = Rank(x), rankY = Rank(y);
            return rankX != rankY ? rankX.CompareTo(rankY) : StringComparer.Ordinal.Compare(x, y);
        }

        private int Rank(string? name)
        {
            int index = Array.IndexOf(known, name);
            return index < 0 ? known.Length : index;
        }
    }
}
