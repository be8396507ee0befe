using ScottPlot;

namespace Trainer.Study;

/// <summary>
/// The study's PNG plots, drawn with ScottPlot in one colour per activation throughout. Noisy ReLU, whose results
/// lie far from the others', gets a panel of its own beside each main panel, so that it does not squash their axis.
/// Curves are means over seeds with a 95 % Student-t band, over the epochs every seed reached; a seed that stopped
/// early is marked where it stopped, and any seed that went on is drawn alone from there.
/// </summary>
public static class StudyPlots
{
    /// <summary>Every figure's width: about a README column, so that nothing is scaled down much there.</summary>
    public const int Width = 1000;

    /// <summary>The height of one row of panels in the curve figures.</summary>
    public const int CurveRowHeight = 360;

    /// <summary>Activations drawn in their own panel, on their own scale.</summary>
    public static IReadOnlyList<string> SeparatePanel { get; } = ["noisy_relu"];

    // Main panels take three columns of four, a separate panel the fourth.
    private const int GridColumns = 4;

    // Category10, in the study's activation order, so a colour means the same activation in every figure.
    private static readonly Color[] palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    private static readonly string[] knownActivations = ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"];

    /// <summary>Writes every plot the cells allow and returns their paths; a plot without cells is skipped.</summary>
    internal static IReadOnlyList<string> Write(StudyAnalysis analysis, string outputDirectory)
    {
        StudyFont.Register();
        var written = new List<string>();
        var colours = new ActivationColours(analysis.ActivationOrder.Concat(analysis.Cells.Select(cell => cell.Recipe.Activation)));

        foreach (var dataset in analysis.Standard.GroupBy(block => block.Dataset))
            written.Add(Summary(Path.Combine(outputDirectory, $"summary-{dataset.Key}.png"), dataset.ToList(), colours));
        foreach (StudyBlock block in analysis.Standard)
            written.Add(Curves(Path.Combine(outputDirectory, $"curves-{block.Dataset}-{block.Architecture}.png"), block, colours));
        foreach (StudyBlock block in analysis.HighLearningRate)
            written.Add(Curves(Path.Combine(outputDirectory, $"curves-{block.Experiment}-{block.Dataset}-{block.Architecture}.png"), block, colours));
        foreach (IReadOnlyList<StudyBlock> sweep in analysis.Sweeps)
            written.Add(Sweep(Path.Combine(outputDirectory, $"learning-rate-{sweep[0].Dataset}-{sweep[0].Architecture}.png"), sweep, colours));
        return written;
    }

    /// <summary>The summary figure's height for blocks of at most <paramref name="activations"/> rows each.</summary>
    public static int SummaryRowHeight(int activations) => 110 + 26 * activations;

    /// <summary>Splits activations into the main panel's and the separate panel's.</summary>
    public static (List<T> Main, List<T> Separate) Split<T>(IEnumerable<T> items, Func<T, string> activation)
    {
        var all = items.ToList();
        return (all.Where(item => !SeparatePanel.Contains(activation(item))).ToList(), all.Where(item => SeparatePanel.Contains(activation(item))).ToList());
    }

    /// <summary>
    /// The mean over seeds of a per-epoch value, only at epochs every seed reached, with the 95 % t half-width
    /// (NaN for one seed), and what lies beyond: the seeds that went on, and the seeds that stopped early.
    /// </summary>
    /// <param name="cells">The seeds' runs.</param>
    /// <param name="values">Each run's (epoch, value) points, in epoch order.</param>
    public static SeedCurves Aligned(IReadOnlyList<StudyCell> cells, Func<StudyCell, IReadOnlyList<(int Epoch, double Value)>> values)
    {
        var perSeed = cells.Select(cell => (Cell: cell, Points: values(cell))).Where(seed => seed.Points.Count > 0).ToList();
        if (perSeed.Count == 0)
            return new SeedCurves([], [], []);
        int commonEnd = perSeed.Min(seed => seed.Points[^1].Epoch);
        var mean = new List<(int Epoch, double Mean, double HalfWidth)>();
        var byEpoch = perSeed.Select(seed => seed.Points.ToDictionary(point => point.Epoch, point => point.Value)).ToList();
        foreach (int epoch in perSeed[0].Points.Select(point => point.Epoch).Where(epoch => epoch <= commonEnd))
        {
            // A seed without the epoch, or with a diverged (non-finite) value there, leaves the epoch out of the mean.
            var points = byEpoch.Select(seed => seed.TryGetValue(epoch, out double value) ? value : double.NaN).ToList();
            if (points.All(double.IsFinite))
                mean.Add((epoch, StudyStatistics.Mean(points), StudyStatistics.TIntervalHalfWidth(points)));
        }
        var continued = perSeed.Where(seed => seed.Points[^1].Epoch > commonEnd)
            .Select(seed => (IReadOnlyList<(int, double)>)seed.Points.Where(point => point.Epoch >= commonEnd).ToList())
            .ToList();
        var stopped = perSeed.Where(seed => seed.Cell.History.Count < seed.Cell.Recipe.Epochs)
            .Select(seed => seed.Points[^1])
            .ToList();
        return new SeedCurves(mean, continued, stopped);
    }

    private static string Curves(string path, StudyBlock block, ActivationColours colours)
    {
        (List<StudyBlockRow> main, List<StudyBlockRow> separate) = Split(block.Rows, row => row.Activation);
        // Each metric with the range its values can take, so that a band never reaches past what is possible.
        var metrics = new (string Name, string YLabel, double Low, double High, Func<StudyCell, IReadOnlyList<(int Epoch, double Value)>> Values)[]
        {
            ("validation accuracy", "validation accuracy (%)", 0, 100, cell => cell.History.Select(epoch => (epoch.Epoch, 100 * epoch.ValidationAccuracy)).ToList()),
            ("training loss", "training loss (cross-entropy)", 0, double.PositiveInfinity, cell => cell.History.Select(epoch => (epoch.Epoch, epoch.TrainingLoss)).ToList()),
            ("dead units (epoch 0: initialisation)", "dead units, all activation layers (%)", 0, 100, cell =>
                new[] { (0, 100 * StudyStatistics.PooledDead(cell.Initial)) }.Concat(cell.History.Select(epoch => (epoch.Epoch, 100 * StudyStatistics.PooledDead(epoch.Units)))).ToList()),
        };
        bool anyStopped = block.Rows.SelectMany(row => row.Cells).Any(cell => cell.History.Count < cell.Recipe.Epochs);
        var rows = new List<(Plot Main, Plot? Separate)>();
        for (int m = 0; m < metrics.Length; m++)
        {
            string title = m == 0
                ? $"{block.Title}: {metrics[m].Name}\nmean and 95 % band over {block.SeedsText()}" + (anyStopped ? "; × a seed stopped early" : "")
                : metrics[m].Name;
            var range = (metrics[m].Low, metrics[m].High);
            Plot mainPlot = CurvePanel(title, metrics[m].YLabel, range, main, colours, metrics[m].Values, legend: m == 0);
            Plot? separatePlot = separate.Count == 0 ? null
                : CurvePanel($"{string.Join(", ", separate.Select(row => row.Activation))} (own scale)", "", range, separate, colours, metrics[m].Values, legend: false);
            rows.Add((mainPlot, separatePlot));
        }
        SaveRows(path, rows, CurveRowHeight);
        return path;
    }

    private static Plot CurvePanel(string title, string yLabel, (double Low, double High) range, IReadOnlyList<StudyBlockRow> rows, ActivationColours colours,
        Func<StudyCell, IReadOnlyList<(int Epoch, double Value)>> values, bool legend)
    {
        Plot plot = NewPlot(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        foreach (StudyBlockRow row in rows)
        {
            Color colour = colours.For(row.Activation);
            SeedCurves curves = Aligned(row.Cells, values);
            if (curves.Mean.Count > 0)
            {
                double[] epochs = curves.Mean.Select(point => (double)point.Epoch).ToArray();
                if (curves.Mean.All(point => double.IsFinite(point.HalfWidth)))
                {
                    var band = plot.Add.FillY(epochs,
                        curves.Mean.Select(p => Math.Max(range.Low, p.Mean - p.HalfWidth)).ToArray(),
                        curves.Mean.Select(p => Math.Min(range.High, p.Mean + p.HalfWidth)).ToArray());
                    band.FillColor = colour.WithAlpha(0.18);
                    band.LineWidth = 0;
                }
                var line = plot.Add.Scatter(epochs, curves.Mean.Select(point => point.Mean).ToArray(), colour);
                if (legend)
                    line.LegendText = row.Activation;
                line.LineWidth = 2;
                line.MarkerSize = 4;
            }
            foreach (IReadOnlyList<(int Epoch, double Value)> seed in curves.Continued)
            {
                var thin = plot.Add.Scatter(seed.Select(point => (double)point.Epoch).ToArray(), seed.Select(point => point.Value).ToArray(), colour.WithAlpha(0.6));
                thin.LineWidth = 1;
                thin.MarkerSize = 0;
            }
            foreach ((int epoch, double value) in curves.Stopped)
                plot.Add.Marker(epoch, value, MarkerShape.Cross, 10, colour);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        ShowLegend(plot, legend);
        return plot;
    }

    // One row per block: each activation's seeds as small rings, its mean as a dot and its 95 % t-interval as a bar.
    private static string Summary(string path, IReadOnlyList<StudyBlock> blocks, ActivationColours colours)
    {
        var rows = new List<(Plot Main, Plot? Separate)>();
        foreach (StudyBlock block in blocks)
        {
            (List<StudyBlockRow> main, List<StudyBlockRow> separate) = Split(block.Rows, row => row.Activation);
            Plot mainPlot = SummaryPanel($"{block.Title}: test accuracy\nmean and 95 % CI over {block.SeedsText()}", main, colours);
            rows.Add((mainPlot, separate.Count == 0 ? null : SummaryPanel("own scale", separate, colours)));
        }
        int mostRows = blocks.Max(block => Split(block.Rows, row => row.Activation).Main.Count);
        SaveRows(path, rows, SummaryRowHeight(mostRows));
        return path;
    }

    private static Plot SummaryPanel(string title, IReadOnlyList<StudyBlockRow> rows, ActivationColours colours)
    {
        Plot plot = NewPlot(title);
        plot.XLabel("test accuracy (%)");
        var ticks = new List<Tick>();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (int i = 0; i < rows.Count; i++)
        {
            StudyBlockRow row = rows[i];
            double y = rows.Count - 1 - i;
            Color colour = colours.For(row.Activation);
            double mean = 100 * row.Mean;
            (double barLow, double barHigh) = AccuracyInterval(row);
            var seeds = row.Accuracies.Select(accuracy => 100 * accuracy).ToArray();
            (low, high) = (Math.Min(low, Math.Min(barLow, seeds.Min())), Math.Max(high, Math.Max(barHigh, seeds.Max())));
            if (barHigh > barLow)
            {
                var bar = plot.Add.Line(barLow, y, barHigh, y);
                bar.Color = colour;
                bar.LineWidth = 3;
            }
            plot.Add.Markers(seeds, Enumerable.Repeat(y + 0.22, seeds.Length).ToArray(), MarkerShape.OpenCircle, 6, colour);
            plot.Add.Marker(mean, y, MarkerShape.FilledCircle, 10, colour);
            ticks.Add(new Tick(y, $"{row.Activation} (n={row.Count})"));
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        // A margin on both sides, so that the outermost markers are not cut by the frame.
        double margin = Math.Max(0.08 * (high - low), 0.05);
        plot.Axes.SetLimits(low - margin, high + margin, -0.7, rows.Count - 0.3);
        return plot;
    }

    private static string Sweep(string path, IReadOnlyList<StudyBlock> sweep, ActivationColours colours)
    {
        var activations = sweep.SelectMany(block => block.Rows.Select(row => row.Activation)).Distinct().ToList();
        (List<string> main, List<string> separate) = Split(activations, activation => activation);
        string seeds = string.Join("; ", sweep.Select(block => block.SeedsText()).Distinct());
        Plot mainPlot = SweepPanel($"{StudyAnalysis.Title(sweep[0].Dataset, sweep[0].Architecture)}: test accuracy by learning rate\nmean and 95 % CI over {seeds}", main, sweep, colours, legend: true);
        Plot? separatePlot = separate.Count == 0 ? null : SweepPanel($"{string.Join(", ", separate)} (own scale)", separate, sweep, colours, legend: false);
        SaveRows(path, [(mainPlot, separatePlot)], 2 * CurveRowHeight);
        return path;
    }

    private static Plot SweepPanel(string title, IReadOnlyList<string> activations, IReadOnlyList<StudyBlock> sweep, ActivationColours colours, bool legend)
    {
        Plot plot = NewPlot(title);
        plot.XLabel("learning rate (log scale)");
        plot.YLabel("test accuracy (%)");
        for (int a = 0; a < activations.Count; a++)
        {
            var points = sweep.Select(block => (Rate: Math.Log10(block.LearningRate), Row: block.Rows.FirstOrDefault(row => row.Activation == activations[a])))
                .Where(point => point.Row is not null)
                .ToList();
            Color colour = colours.For(activations[a]);
            // Each activation a little to the side of the rate, so that the intervals do not hide one another.
            double offset = 0.012 * (a - (activations.Count - 1) / 2.0);
            var line = plot.Add.Scatter(points.Select(p => p.Rate + offset).ToArray(), points.Select(p => 100 * p.Row!.Mean).ToArray(), colour);
            if (legend)
                line.LegendText = activations[a];
            line.LineWidth = 2;
            line.MarkerSize = 7;
            foreach (var point in points.Where(p => !double.IsNaN(p.Row!.HalfWidth)))
            {
                (double low, double high) = AccuracyInterval(point.Row!);
                var bar = plot.Add.Line(point.Rate + offset, low, point.Rate + offset, high);
                bar.Color = colour;
                bar.LineWidth = 2;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sweep.Select(block => new Tick(Math.Log10(block.LearningRate), block.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        ShowLegend(plot, legend);
        return plot;
    }

    // The t-interval of a row's mean accuracy in percent, cut to what an accuracy can be; the mean alone for one seed.
    private static (double Low, double High) AccuracyInterval(StudyBlockRow row)
    {
        double half = double.IsNaN(row.HalfWidth) ? 0 : row.HalfWidth;
        return (100 * Math.Max(0, row.Mean - half), 100 * Math.Min(1, row.Mean + half));
    }

    // Only the panel that names the colours gets a legend, below its axis, where it takes height but no width, so
    // the epochs of every row stay aligned and no curve is hidden; the separate panels' titles name their activation.
    private static void ShowLegend(Plot plot, bool show)
    {
        if (show)
            plot.ShowLegend(Edge.Bottom);
        else
            plot.HideLegend();
    }

    // Rows of a main panel (three columns of four) and an optional separate panel (the fourth).
    private static void SaveRows(string path, IReadOnlyList<(Plot Main, Plot? Separate)> rows, int rowHeight)
    {
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        var multiplot = new Multiplot(rows[0].Main);
        for (int r = 0; r < rows.Count; r++)
        {
            if (r > 0)
                multiplot.AddPlot(rows[r].Main);
            layout.Set(rows[r].Main, new GridCell(r, 0, rows.Count, GridColumns, 1, rows[r].Separate is null ? GridColumns : GridColumns - 1));
            if (rows[r].Separate is { } separate)
            {
                multiplot.AddPlot(separate);
                layout.Set(separate, new GridCell(r, GridColumns - 1, rows.Count, GridColumns, 1, 1));
            }
        }
        multiplot.Layout = layout;
        multiplot.SavePng(path, Width, rowHeight * rows.Count);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(StudyFont.Name);
        plot.Title(title, size: 14);
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 12;
        return plot;
    }

    private sealed class ActivationColours
    {
        private readonly Dictionary<string, Color> colours = new(StringComparer.Ordinal);

        public ActivationColours(IEnumerable<string> activations)
        {
            for (int i = 0; i < knownActivations.Length; i++)
                colours[knownActivations[i]] = palette[i];
            // The registry's own colour wins, so an activation looks the same here as everywhere else.
            foreach (string activation in activations.Distinct())
                if (StudyOrder.ActivationColour(activation) is { } colour)
                    colours[activation] = Color.FromHex(colour);
            // Activations outside the study's six take the remaining colours in a fixed order.
            int next = knownActivations.Length;
            foreach (string activation in activations.Distinct().Order(StudyOrder.Activations))
                if (!colours.ContainsKey(activation))
                    colours[activation] = palette[next++ % palette.Length];
        }

        public Color For(string activation) => colours[activation];
    }
}
