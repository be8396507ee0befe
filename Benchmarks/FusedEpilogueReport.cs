using System.Globalization;
using System.Text;
using Engine.Networks;

namespace Benchmarks;

/// <summary>
/// Writes docs/benchmarks/fused-epilogue.md: the forward pass with bias and activation in the matrix
/// products' epilogue against the separate passes, Classify on one thread against every core, and the
/// enhanced network's inference time layer by layer.
/// </summary>
internal static class FusedEpilogueReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether a timing is one of <see cref="FusedEpilogueBenchmarks"/>' or <see cref="EnhancedLayerBenchmarks"/>'.</summary>
    public static bool Covers(Timing timing) => timing.Contender.StartsWith("epilogue_", StringComparison.Ordinal) || timing.Contender == "layer_forward";

    public static string Write(IReadOnlyList<Timing> timings, RunContext context)
    {
        var report = new StringBuilder();
        report.AppendLine("# Bias and activation in the GEMM epilogue: the managed inference pass");
        report.AppendLine();
        report.AppendLine("Produced by:");
        report.AppendLine();
        report.AppendLine("```");
        report.AppendLine(context.Command);
        report.AppendLine("```");
        report.AppendLine();
        report.AppendLine("Without `--quick`, BenchmarkDotNet runs every case in its own process (1 launch, 3 warm-up + 11 measured iterations of ≥ 120 ms); the tables give medians. `--filter \"*FusedEpilogue*\"` or `\"*EnhancedLayer*\"` runs one half.");
        report.AppendLine();
        context.WriteDetails(report);
        report.AppendLine();
        report.AppendLine($"Network: He-initialised (seed 5), biases drawn from [−0.1, 0.1], activation `{NetworkInferenceBenchmarks.ActivationId}`. Images: {BenchmarkDigits.Source}.");
        report.AppendLine();
        report.AppendLine("- **Unfused**: `Network.Forward` with a training workspace and no `Random`, which is how inference ran before: each convolution and dense layer writes its bias into the output, the matrix product adds onto it, then the activation layer reads and writes the whole tensor again.");
        report.AppendLine("- **Fused**: `Network.Forward` with an inference workspace: the product applies bias and activation to each block of the output while the sums are still in registers; the activation layers do not run; the layers before the first fully connected one run image by image, so that one image's feature maps stay in the cache. On AVX-512 the logits are bit for bit the unfused ones (the benchmark's setup checks).");
        report.AppendLine("- Both columns include what the two paths share: the image-by-image LRN and the convolutions' patch copies, which are as fast in either.");
        report.AppendLine($"- **Classify, 1 thread / all cores**: `Network.Classify(images, probabilities, maxDegreeOfParallelism)` with 1 and with −1; both include the softmax. Batches of up to {Network.InferenceBlock} run on the calling thread either way; larger ones are split into blocks of {Network.InferenceBlock}, on the thread pool unless limited to one thread.");
        report.AppendLine();
        foreach (NetworkArchitecture architecture in NetworkArchitecture.All)
        {
            WritePasses(report, timings, architecture);
        }
        WriteLayers(report, timings);
        report.AppendLine("## Notes");
        report.AppendLine();
        report.AppendLine($"- The machine has {Environment.ProcessorCount} logical cores; numbers taken while other work shares it are indicative only, and the load averages above say how busy it was. The unfused and fused cases of a row ran one after the other in the same run, so the load weighs on both; the ratio is the figure to read.");
        report.AppendLine("- The all-cores rows are where a busy machine hurts most: every block handed to the thread pool waits for a core.");
        return report.ToString();
    }

    private static void WritePasses(StringBuilder report, IReadOnlyList<Timing> timings, NetworkArchitecture architecture)
    {
        int[] batches = [.. timings.Where(t => t.Subject == architecture.Name && t.Contender.StartsWith("epilogue_", StringComparison.Ordinal)).Select(t => t.Length).Distinct().Order()];
        if (batches.Length == 0)
        {
            return;
        }
        report.AppendLine($"## Forward pass: {architecture.Name}");
        report.AppendLine();
        report.AppendLine(architecture.Description);
        report.AppendLine();
        report.AppendLine("| Batch | Unfused median | Fused median | Unfused ÷ fused | Fused images/s | Classify, 1 thread | Classify, all cores | 1 thread ÷ all cores |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int batch in batches)
        {
            double unfused = Time(timings, "epilogue_unfused", architecture.Name, batch);
            double fused = Time(timings, "epilogue_fused", architecture.Name, batch);
            double oneThread = Time(timings, "epilogue_classify_one_thread", architecture.Name, batch);
            double allCores = Time(timings, "epilogue_classify_all_cores", architecture.Name, batch);
            report.AppendLine($"| {batch} | {ActivationReport.FormatTime(unfused)} | {ActivationReport.FormatTime(fused)} | {Ratio(unfused, fused)} | {Rate(batch, fused)} | {ActivationReport.FormatTime(oneThread)} | {ActivationReport.FormatTime(allCores)} | {Ratio(oneThread, allCores)} |");
        }
        report.AppendLine();
    }

    private static void WriteLayers(StringBuilder report, IReadOnlyList<Timing> timings)
    {
        List<Timing> layers = [.. timings.Where(t => t.Contender == "layer_forward")];
        if (layers.Count == 0)
        {
            return;
        }
        int[] batches = [.. layers.Select(t => t.Length).Distinct().Order()];
        report.AppendLine("## Where the enhanced network's inference pass spends its time");
        report.AppendLine();
        report.AppendLine("Each layer alone, as the fused pass runs it (`EnhancedLayerBenchmarks`: the convolutions and dense layers with bias and activation in the epilogue, the activation layers not at all), on its real input for the same digits. The share is of the layers' sum.");
        report.AppendLine();
        report.AppendLine("| Layer | " + string.Join(" | ", batches.Select(b => $"Batch {b} median | share")) + " |");
        report.AppendLine("|---|" + string.Concat(batches.Select(_ => "---:|---:|")));
        foreach (string layer in EnhancedLayerBenchmarks.LayerNames.Where(name => layers.Any(t => t.Subject == name)))
        {
            var cells = new List<string>();
            foreach (int batch in batches)
            {
                double time = Time(layers, "layer_forward", layer, batch);
                double total = layers.Where(t => t.Length == batch).Sum(t => t.MedianNanoseconds);
                cells.Add(ActivationReport.FormatTime(time));
                cells.Add(double.IsNaN(time) ? "—" : (time / total).ToString("P0", Invariant));
            }
            report.AppendLine($"| {layer} | {string.Join(" | ", cells)} |");
        }
        report.AppendLine();
    }

    private static double Time(IReadOnlyList<Timing> timings, string contender, string subject, int batch) =>
        timings.Where(t => t.Contender == contender && t.Subject == subject && t.Length == batch)
            .Select(t => t.MedianNanoseconds).DefaultIfEmpty(double.NaN).Min();

    private static string Ratio(double numerator, double denominator) =>
        double.IsNaN(numerator) || double.IsNaN(denominator) ? "—" : (numerator / denominator).ToString("F2", Invariant) + "×";

    private static string Rate(int images, double nanoseconds) =>
        double.IsNaN(nanoseconds) ? "—" : NetworkReport.ImagesPerSecond(images, nanoseconds).ToString("N0", Invariant);
}
