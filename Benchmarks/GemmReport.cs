using System.Globalization;
using System.Text;

namespace Benchmarks;

/// <summary>The GEMM section of the report: per shape, time and GFLOP/s of ours and the plain loop it replaced.</summary>
internal static class GemmReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether a timing is one of <see cref="GemmBenchmarks"/>'.</summary>
    public static bool Covers(Timing timing) => timing.Contender is "gemm" or "gemm_baseline";

    public static double GigaflopsPerSecond(string shape, double nanoseconds) => GemmBenchmarks.Flops(shape) / nanoseconds;

    public static void Write(StringBuilder report, IReadOnlyList<Timing> timings)
    {
        List<Timing> gemm = [.. timings.Where(Covers)];
        if (gemm.Count == 0)
        {
            return;
        }
        report.AppendLine("## GEMM (single-threaded)");
        report.AppendLine();
        report.AppendLine("C = A·B at the layers' shapes, m×n×k (ᵀ: A read transposed). GFLOP/s counts 2·m·n·k per call. The baseline is the placeholder loop: a row of C at a time, one `TensorPrimitives.MultiplyAdd` per element of A.");
        report.AppendLine();
        report.AppendLine("| Shape | Ours | Baseline | Speed-up |");
        report.AppendLine("|---|---:|---:|---:|");
        // In the order GemmBenchmarks lists them: convolutions first, then the dense layers.
        foreach (string shape in GemmBenchmarks.Shapes.Where(s => gemm.Any(t => t.Subject == s)))
        {
            double ours = Time(gemm, "gemm", shape);
            double baseline = Time(gemm, "gemm_baseline", shape);
            string speedUp = double.IsNaN(ours) || double.IsNaN(baseline) ? "—" : (baseline / ours).ToString("F1", Invariant) + "×";
            report.AppendLine($"| {shape} | {Cell(shape, ours)} | {Cell(shape, baseline)} | {speedUp} |");
        }
        report.AppendLine();
    }

    private static double Time(List<Timing> timings, string contender, string shape) =>
        timings.Where(t => t.Contender == contender && t.Subject == shape).Select(t => t.MedianNanoseconds).DefaultIfEmpty(double.NaN).Min();

    private static string Cell(string shape, double nanoseconds) =>
        double.IsNaN(nanoseconds) ? "—" : $"{ActivationReport.FormatTime(nanoseconds)} ({GigaflopsPerSecond(shape, nanoseconds).ToString("F1", Invariant)} GFLOP/s)";
}
