using System.Globalization;
using System.Text;

namespace Benchmarks;

/// <summary>Writes docs/benchmarks/pipeline.md: <see cref="PipelineBenchmarks"/>' medians and the rate they allow.</summary>
internal static class PipelineReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether a timing is one of <see cref="PipelineBenchmarks"/>'.</summary>
    public static bool Covers(Timing timing) => timing.Contender.StartsWith("pipeline_", StringComparison.Ordinal);

    public static string Write(IReadOnlyList<Timing> timings, RunContext context)
    {
        var report = new StringBuilder();
        report.AppendLine("# One classification inside the process: decode, preprocess, infer");
        report.AppendLine();
        report.AppendLine("Produced by:");
        report.AppendLine();
        report.AppendLine("```");
        report.AppendLine(context.Command);
        report.AppendLine("```");
        report.AppendLine();
        context.WriteDetails(report);
        report.AppendLine();
        report.AppendLine("`scripts/digit-7.png` (the image the HTTP benchmarks send) decoded and preprocessed by `DigitImagePreprocessor` as the service does, " +
                          "then one forward pass (batch 1) of the committed model on the backend the service picks for it (`InferenceBackendFactory`: managed, checked against ONNX Runtime). " +
                          "The first four columns are medians of one call on one thread. *Images/s, all cores* is measured: one thread per core, each classifying " +
                          $"{PipelineBenchmarks.ImagesPerAllCoresCall / Environment.ProcessorCount} images one at a time, all at once — what the cores deliver together, the most any server " +
                          "on this machine could reach with this work per request. *Cores × one core* is the upper bound that would hold if the cores shared nothing.");
        report.AppendLine();
        report.AppendLine("| model | decode + preprocess | infer | whole | images/s, one core | images/s, all cores | cores × one core |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (IGrouping<string, Timing> model in timings.GroupBy(t => t.Subject))
        {
            double Median(string contender) => model.FirstOrDefault(t => t.Contender == contender)?.MedianNanoseconds ?? double.NaN;
            double whole = Median("pipeline_whole");
            double allCores = PipelineBenchmarks.ImagesPerAllCoresCall * 1e9 / Median("pipeline_all_cores");
            report.AppendLine(string.Create(Invariant,
                $"| {model.Key} | {Micro(Median("pipeline_preprocess"))} | {Micro(Median("pipeline_infer"))} | {Micro(whole)} | {1e9 / whole:F0} | {Rate(allCores)} | {Environment.ProcessorCount * 1e9 / whole:F0} |"));
        }
        return report.ToString();
    }

    private static string Rate(double imagesPerSecond) => double.IsNaN(imagesPerSecond) ? "—" : string.Create(Invariant, $"{imagesPerSecond:F0}");

    private static string Micro(double nanoseconds) => double.IsNaN(nanoseconds) ? "—" : string.Create(Invariant, $"{nanoseconds / 1000:F1} µs");
}
