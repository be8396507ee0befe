using Contracts;
using ScottPlot;

namespace Trainer.Study;

/// <summary>The study's PNG plots, drawn with ScottPlot in one colour per activation throughout.</summary>
internal static class StudyPlots
{
    public const int Width = 900;
    public const int Height = 500;

    /// <summary>The height of one row of panels in the summary figure, two panels to a row.</summary>
    public const int SummaryRowHeight = 320;

    // Category10, in the study's activation order, so a colour means the same activation in every figure.
    private static readonly Color[] palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    private static readonly string[] knownActivations = ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"];

    /// <summary>Writes every plot the cells allow and returns their paths; a plot without cells is skipped.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<StudyCell> cells, string outputDirectory)
    {
        StudyFont.Register();
        var written = new List<string>();
        var colours = new ActivationColours(cells.Select(cell => cell.Activation));

        foreach (var block in StandardBlocks(cells))
        {
            string suffix = $"{block.Key.Dataset}-{block.Key.Architecture}";
            string title = $"{StudyOrder.DatasetName(block.Key.Dataset)}, {block.Key.Architecture}";
            var byActivation = ByActivation(block);
            written.Add(Lines(Path.Combine(outputDirectory, $"loss-{suffix}.png"), $"{title}: training loss", "training loss (cross-entropy)",
                byActivation, colours, cell => cell.History.Select(epoch => (epoch.Epoch, epoch.TrainingLoss))));
            written.Add(Lines(Path.Combine(outputDirectory, $"accuracy-{suffix}.png"), $"{title}: test accuracy", "test accuracy (%)",
                byActivation, colours, cell => cell.History.Select(epoch => (epoch.Epoch, 100 * epoch.TestAccuracy))));
            written.Add(Lines(Path.Combine(outputDirectory, $"dead-{suffix}.png"), $"{title}: dead units (0 = initialisation)",
                "dead units, all activation layers (%)", byActivation, colours, DeadPercentages));
        }

        var standard = StandardBlocks(cells).ToList();
        if (standard.Count > 0)
            written.Add(Summary(Path.Combine(outputDirectory, "summary-accuracy.png"), standard, colours));

        var highLearningRate = HighLearningRateSeries(cells);
        if (highLearningRate.Count > 0)
        {
            written.Add(Lines(Path.Combine(outputDirectory, "high-lr-dead.png"), "High learning rate: dead units (0 = initialisation)",
                "dead units, all activation layers (%)", highLearningRate, colours, DeadPercentages));
            written.Add(Lines(Path.Combine(outputDirectory, "high-lr-loss.png"), "High learning rate: training loss",
                "training loss (cross-entropy)", highLearningRate, colours, cell => cell.History.Select(epoch => (epoch.Epoch, epoch.TrainingLoss))));
        }
        return written;
    }

    /// <summary>The size <see cref="Write"/> gives the summary figure for <paramref name="groups"/> panels.</summary>
    public static (int Width, int Height) SummarySize(int groups) => (Width, SummaryRowHeight * ((groups + 1) / 2));

    private static IEnumerable<IGrouping<(string Dataset, string Architecture), StudyCell>> StandardBlocks(IReadOnlyList<StudyCell> cells) =>
        StudyOrder.Sort(cells.Where(cell => cell.Experiment == StudyOrder.Standard))
            .GroupBy(cell => (cell.Dataset, cell.Architecture))
            .OrderBy(group => group.Key.Dataset, StudyOrder.Datasets)
            .ThenBy(group => group.Key.Architecture, StudyOrder.Architectures);

    private static List<Series> ByActivation(IEnumerable<StudyCell> cells) =>
        cells.GroupBy(cell => cell.Activation)
            .OrderBy(group => group.Key, StudyOrder.Activations)
            .Select(group => new Series(group.Key, group.Key, group.ToList()))
            .ToList();

    // One line per activation; where the high-learning-rate runs span several datasets or architectures, one per combination.
    private static List<Series> HighLearningRateSeries(IReadOnlyList<StudyCell> cells)
    {
        var runs = StudyOrder.Sort(cells.Where(cell => cell.Experiment == StudyOrder.HighLearningRate)).ToList();
        bool several = runs.Select(cell => (cell.Dataset, cell.Architecture)).Distinct().Count() > 1;
        return runs.GroupBy(cell => (cell.Dataset, cell.Architecture, cell.Activation))
            .Select(group => new Series(group.Key.Activation,
                several ? $"{group.Key.Activation} ({StudyOrder.DatasetName(group.Key.Dataset)}, {group.Key.Architecture})" : group.Key.Activation,
                group.ToList()))
            .ToList();
    }

    private static IEnumerable<(int Epoch, double Value)> DeadPercentages(StudyCell cell) =>
        new[] { (0, 100 * StudyStatistics.PooledDead(cell.Initial)) }
            .Concat(cell.History.Select(epoch => (epoch.Epoch, 100 * StudyStatistics.PooledDead(epoch.Units))));

    private static string Lines(string path, string title, string yLabel, IReadOnlyList<Series> series, ActivationColours colours,
        Func<StudyCell, IEnumerable<(int Epoch, double Value)>> values)
    {
        Plot plot = NewPlot(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        foreach (Series line in series)
        {
            // The mean over the seeds that have the epoch, so a seed trained for fewer epochs does not end the line.
            var points = line.Cells.SelectMany(values)
                .GroupBy(point => point.Epoch)
                .OrderBy(group => group.Key)
                .Select(group => (Epoch: (double)group.Key, Value: group.Average(point => point.Value)))
                .ToArray();
            if (points.Length == 0)
                continue;
            var scatter = plot.Add.Scatter(points.Select(point => point.Epoch).ToArray(), points.Select(point => point.Value).ToArray(),
                colours.For(line.Activation));
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 5;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
        return path;
    }

    // One panel per (dataset, architecture): MNIST and Fashion-MNIST accuracies are ten points apart, and on
    // a shared axis the differences between activations would vanish. Activations run down the vertical axis
    // so their names stay horizontal and legible.
    private static string Summary(string path, IReadOnlyList<IGrouping<(string Dataset, string Architecture), StudyCell>> blocks,
        ActivationColours colours)
    {
        var panels = new List<Plot>();
        foreach (var block in blocks)
        {
            Plot plot = NewPlot($"{StudyOrder.DatasetName(block.Key.Dataset)}, {block.Key.Architecture}");
            plot.XLabel("test accuracy (%), mean ± std over seeds");
            var series = ByActivation(block);
            var ticks = new List<Tick>();
            double low = double.PositiveInfinity, high = double.NegativeInfinity;
            for (int row = 0; row < series.Count; row++)
            {
                double y = series.Count - 1 - row;
                var accuracies = series[row].Cells.Select(cell => 100 * cell.TestAccuracy).ToList();
                double mean = StudyStatistics.Mean(accuracies);
                double std = StudyStatistics.SampleStandardDeviation(accuracies);
                double spread = double.IsNaN(std) ? 0 : std;
                (low, high) = (Math.Min(low, mean - spread), Math.Max(high, mean + spread));
                Color colour = colours.For(series[row].Activation);
                if (!double.IsNaN(std))
                {
                    var bar = plot.Add.Line(mean - std, y, mean + std, y);
                    bar.Color = colour;
                    bar.LineWidth = 2;
                }
                plot.Add.Markers(new[] { mean }, new[] { y }, MarkerShape.FilledCircle, 9, colour);
                ticks.Add(new Tick(y, $"{series[row].Activation} (n={accuracies.Count})"));
            }
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
            // A margin on both sides, so that the outermost markers are not cut by the frame.
            double margin = Math.Max(0.1 * (high - low), 0.05);
            plot.Axes.SetLimits(low - margin, high + margin, -0.7, series.Count - 0.3);
            panels.Add(plot);
        }
        var multiplot = new Multiplot(panels[0]);
        foreach (Plot panel in panels.Skip(1))
            multiplot.AddPlot(panel);
        (int width, int height) = SummarySize(blocks.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid((blocks.Count + 1) / 2, Math.Min(blocks.Count, 2));
        multiplot.SavePng(path, width, height);
        return path;
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(StudyFont.Name);
        plot.Title(title, size: 16);
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Left.Label.FontSize = 14;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 13;
        return plot;
    }

    private sealed record Series(string Activation, string Label, IReadOnlyList<StudyCell> Cells);

    private sealed class ActivationColours
    {
        private readonly Dictionary<string, Color> colours = new(StringComparer.Ordinal);

        public ActivationColours(IEnumerable<string> activations)
        {
            for (int i = 0; i < knownActivations.Length; i++)
                colours[knownActivations[i]] = palette[i];
            // Activations outside the study's six take the remaining colours in a fixed order.
            int next = knownActivations.Length;
            foreach (string activation in activations.Distinct().Order(StudyOrder.Activations))
                if (!colours.ContainsKey(activation))
                    colours[activation] = palette[next++ % palette.Length];
        }

        public Color For(string activation) => colours[activation];
    }
}
