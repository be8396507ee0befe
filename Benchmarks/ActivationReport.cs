using System.Globalization;
using System.Text;

namespace Benchmarks;

/// <summary>
/// Writes docs/benchmarks/activations.md from the medians: per activation and size, our single-threaded
/// time and throughput against the copy ceiling, the fastest TensorPrimitives composition, the scalar loop
/// and ONNX Runtime, our multi-threaded speed-up, then the targets as pass/fail lines.
/// </summary>
internal static class ActivationReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Write(IReadOnlyList<Timing> timings, RunContext context)
    {
        // A GEMM-only run (--filter "*Gemm*") gets the header and its own section, not empty activation tables.
        List<Timing> activationTimings = [.. timings.Where(t => !GemmReport.Covers(t))];
        bool activations = activationTimings.Count > 0 || timings.Count == 0;
        var results = new Results(activationTimings);
        var report = new StringBuilder();
        WriteHeader(report, context, activations);
        if (activations)
        {
            WriteTargets(report, results);
            WriteSummary(report, results);
            WriteMedians(report, results);
            WriteCompositions(report, results);
            WriteCopies(report, results);
            WriteNoisyTraining(report, results);
        }
        GemmReport.Write(report, timings);
        if (activations)
        {
            WriteNotes(report);
        }
        return report.ToString();
    }

    public static string FormatTime(double nanoseconds) => nanoseconds switch
    {
        double.NaN => "—",
        < 1e3 => nanoseconds.ToString("F1", Invariant) + " ns",
        < 1e6 => (nanoseconds / 1e3).ToString("F2", Invariant) + " µs",
        < 1e9 => (nanoseconds / 1e6).ToString("F2", Invariant) + " ms",
        _ => (nanoseconds / 1e9).ToString("F2", Invariant) + " s",
    };

    private static string Ratio(double value) => double.IsNaN(value) ? "—" : value.ToString(value >= 100 ? "F0" : "F2", Invariant) + "×";

    private static string Throughput(double gigabytesPerSecond) => double.IsNaN(gigabytesPerSecond) ? "—" : gigabytesPerSecond.ToString("F1", Invariant);

    private static void WriteHeader(StringBuilder report, RunContext context, bool activations)
    {
        report.AppendLine(activations ? "# Activation kernel benchmarks" : "# GEMM benchmarks");
        report.AppendLine();
        report.AppendLine(activations ? "Forward pass, out of place, float32. Produced by:" : "Produced by:");
        report.AppendLine();
        report.AppendLine("```");
        report.AppendLine(context.Command);
        report.AppendLine("```");
        report.AppendLine();
        report.AppendLine("`--quick` times in process (Stopwatch, median of ≥ 5 batches after a short warm-up, or of 3 calls after 1 for a call of 0.5 s or more; under two minutes in all); without it BenchmarkDotNet runs every case in its own process (1 launch, 3 warm-up + 11 measured iterations of ~120 ms; 15–25 minutes). `--filter <glob>` selects benchmark methods (e.g. `*ActivationBenchmarks*`, `*CopyBenchmarks*`), `--activations relu,elu` and `--sizes 1024,16777216` narrow the parameters, `--out` names another report file, `--note` adds a line below.");
        report.AppendLine();
        context.WriteDetails(report);
        report.AppendLine();
        if (!activations)
        {
            return;
        }
        report.AppendLine("Throughput counts bytes read + bytes written: 8 bytes per float. Ratios are \"how many times faster ours is\" (their time ÷ our time), except against the copy ceiling, where it is the fraction of the ceiling's throughput we reach. All buffers are 64-byte aligned (`NativeMemory.AlignedAlloc`); inputs are uniform in [−4, 4). ONNX Runtime runs single-threaded (IntraOpNumThreads = InterOpNumThreads = 1, sequential, all graph optimisations) on a model of just the operator, with OrtValues created once over the same buffers and the `Run` overload that writes into the preallocated output. Noisy ReLU is measured at inference, where it is ReLU; its training path is measured separately below.");
        report.AppendLine();
    }

    private static void WriteTargets(StringBuilder report, Results results)
    {
        report.AppendLine("## Targets (single-threaded)");
        report.AppendLine();
        // The targets name 64 MiB and 4 KiB; a run that skipped those sizes reports n/a.
        int largest = InputData.Lengths.Max();
        int smallest = InputData.Lengths.Min();

        double reluVsCeiling = results.CeilingTime(largest) / results.Time("ours_st", "relu", largest);
        report.AppendLine(Target(reluVsCeiling >= 0.95, double.IsNaN(reluVsCeiling),
            $"ReLU ≥ 0.95× the copy ceiling at {InputData.Describe(largest)}: {Ratio(reluVsCeiling)}"));

        report.AppendLine(TargetAll(results, "every activation ≥ 1.0× its best TensorPrimitives composition at every size",
            results.Lengths, (id, length) => results.BestCompositionTime(id, length) / results.Time("ours_st", id, length), 1.0));

        foreach (string id in new[] { "relu_softsign", "leaky_relu" })
        {
            double ratio = results.Time("ours_st", "relu", largest) / results.Time("ours_st", id, largest);
            report.AppendLine(Target(ratio >= 0.9, double.IsNaN(ratio), $"{id} ≥ 0.9× ReLU's throughput at {InputData.Describe(largest)}: {Ratio(ratio)}"));
        }

        report.AppendLine(TargetAll(results, $"every kernel ≥ 8× the scalar loop at {InputData.Describe(smallest)}",
            [smallest], (id, length) => results.Time("scalar", id, length) / results.Time("ours_st", id, length), 8.0));

        // The target is about ONNX Runtime's own operators (Relu, also Noisy ReLU at inference, LeakyRelu, Elu,
        // Softsign, PRelu, Selu). ReLU–Softsign, GELU and SiLU have none in opset 17: their graphs of several nodes
        // are measured and shown above, but are not this target.
        string[] single = [.. results.Activations.Where(OnnxOperator.IsSingleOperator).Select(id => OnnxOperator.Describe(id).Split('(')[0]).Distinct()];
        report.AppendLine(TargetAll(results, $"every kernel faster than ONNX Runtime's operator ({string.Join(", ", single)}) at every size",
            results.Lengths, (id, length) => OnnxOperator.IsSingleOperator(id)
                ? results.Time("onnx", id, length) / results.Time("ours_st", id, length)
                : double.NaN, 1.0, strictlyAbove: true));
        report.AppendLine();
    }

    private static string Target(bool pass, bool missing, string text) => $"- {(missing ? "n/a " : pass ? "PASS" : "FAIL")} — {text}";

    private static string TargetAll(Results results, string text, IEnumerable<int> lengths, Func<string, int, double> ratio, double bar, bool strictlyAbove = false)
    {
        var failures = new List<string>();
        double worst = double.PositiveInfinity;
        string worstCase = "";
        int count = 0;
        foreach (string id in results.Activations)
        {
            foreach (int length in lengths)
            {
                double value = ratio(id, length);
                if (double.IsNaN(value))
                {
                    continue;
                }
                count++;
                if (value < worst)
                {
                    worst = value;
                    worstCase = $"{id} at {InputData.Describe(length)}";
                }
                if (strictlyAbove ? value <= bar : value < bar)
                {
                    failures.Add($"{id} {InputData.Describe(length)} {Ratio(value)}");
                }
            }
        }
        if (count == 0)
        {
            return Target(false, true, text);
        }
        string detail = $"worst {Ratio(worst)} ({worstCase})" + (failures.Count > 0 ? $"; below the bar: {string.Join(", ", failures)}" : "");
        return Target(failures.Count == 0, false, $"{text}: {detail}");
    }

    private static void WriteSummary(StringBuilder report, Results results)
    {
        report.AppendLine("## Ours against the others");
        report.AppendLine();
        report.AppendLine("| Activation | Size | Ours ST | GB/s | of copy ceiling | vs best TP (which) | vs scalar | vs ONNX RT | Ours MT | MT ÷ ST speed-up |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string id in results.Activations)
        {
            foreach (int length in results.Lengths)
            {
                double ours = results.Time("ours_st", id, length);
                double parallel = results.Time("ours_mt", id, length);
                (double bestTp, string? bestTpId) = results.BestComposition(id, length);
                report.AppendLine(string.Join(" | ",
                    $"| {id}",
                    InputData.Describe(length),
                    FormatTime(ours),
                    Throughput(GigabytesPerSecond(length, ours)),
                    Ratio(results.CeilingTime(length) / ours),
                    $"{Ratio(bestTp / ours)}{(bestTpId is null ? "" : $" ({bestTpId})")}",
                    Ratio(results.Time("scalar", id, length) / ours),
                    Ratio(results.Time("onnx", id, length) / ours),
                    FormatTime(parallel),
                    Ratio(ours / parallel) + " |"));
            }
        }
        report.AppendLine();
    }

    private static void WriteMedians(StringBuilder report, Results results)
    {
        report.AppendLine("## Medians and throughput (GB/s) of every contender");
        report.AppendLine();
        report.AppendLine("| Activation | Size | Ours ST | Ours MT | Scalar loop | Best TP | ONNX RT |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (string id in results.Activations)
        {
            foreach (int length in results.Lengths)
            {
                report.AppendLine(string.Join(" | ",
                    $"| {id}",
                    InputData.Describe(length),
                    Cell(length, results.Time("ours_st", id, length)),
                    Cell(length, results.Time("ours_mt", id, length)),
                    Cell(length, results.Time("scalar", id, length)),
                    Cell(length, results.BestCompositionTime(id, length)),
                    Cell(length, results.Time("onnx", id, length)) + " |"));
            }
        }
        report.AppendLine();
        report.AppendLine("ONNX Runtime graphs: " + string.Join("; ", results.Activations.Select(id => $"{id}: {OnnxOperator.Describe(id)}")) + ".");
        report.AppendLine();
    }

    private static void WriteCompositions(StringBuilder report, Results results)
    {
        report.AppendLine("## TensorPrimitives compositions tried");
        report.AppendLine();
        report.AppendLine("Each call is one pass over the data; the fastest per activation and size is the \"best TP\" above (Noisy ReLU at inference uses ReLU's).");
        report.AppendLine();
        report.AppendLine("| Composition | Recipe | Passes | " + string.Join(" | ", results.Lengths.Select(InputData.Describe)) + " |");
        report.AppendLine("|---|---|---:|" + string.Concat(results.Lengths.Select(_ => "---:|")));
        foreach (TensorPrimitivesComposition composition in TensorPrimitivesComposition.All.Where(c => results.HasComposition(c.Id)))
        {
            report.AppendLine($"| {composition.Id} | {composition.Recipe} | {composition.Passes} | "
                + string.Join(" | ", results.Lengths.Select(length => Cell(length, results.Time("tp", composition.Id, length)))) + " |");
        }
        report.AppendLine();
    }

    private static void WriteCopies(StringBuilder report, Results results)
    {
        report.AppendLine("## The copy ceiling");
        report.AppendLine();
        report.AppendLine("The same bytes copied x → y: `Span.CopyTo` (Buffer.Memmove, the C library's memmove for large blocks), a Vector512 loop with aligned non-temporal stores (`Vector512.StoreAlignedNonTemporal`, then a store fence) and, for reference, the same loop with ordinary stores. The ceiling at each size is the fastest of the three.");
        report.AppendLine();
        report.AppendLine("| Size | Span.CopyTo | Non-temporal copy | Vector512 copy | Ceiling |");
        report.AppendLine("|---|---:|---:|---:|---|");
        foreach (int length in results.Lengths)
        {
            report.AppendLine($"| {InputData.Describe(length)} | {Cell(length, results.Time("copy", "", length))} | {Cell(length, results.Time("copy_nt", "", length))} | {Cell(length, results.Time("copy_vector", "", length))} | {results.CeilingName(length)} |");
        }
        report.AppendLine();
    }

    private static void WriteNoisyTraining(StringBuilder report, Results results)
    {
        if (results.Lengths.All(length => double.IsNaN(results.Time("noisy_training", "", length))))
        {
            return;
        }
        report.AppendLine("## Noisy ReLU, training path");
        report.AppendLine();
        report.AppendLine("x.CopyTo(y), `ApplyTrainingNoise(y, random)`, then ReLU in place, against ReLU's inference kernel.");
        report.AppendLine();
        report.AppendLine("| Size | Training path | ReLU inference | Training ÷ inference time |");
        report.AppendLine("|---|---:|---:|---:|");
        foreach (int length in results.Lengths)
        {
            double training = results.Time("noisy_training", "", length);
            double inference = results.Time("ours_st", "noisy_relu", length);
            report.AppendLine($"| {InputData.Describe(length)} | {Cell(length, training)} | {Cell(length, inference)} | {Ratio(training / inference)} |");
        }
        report.AppendLine();
    }

    private static void WriteNotes(StringBuilder report)
    {
        report.AppendLine("## Notes");
        report.AppendLine();
        report.AppendLine("- `TensorPrimitives.Max(x, 0)` is IEEE 754:2019 `maximum`: NaN propagates and +0 > −0, so Max(−0, 0) = +0, where our ReLU returns −0 (it zeroes only what compares below 0). `MaxNumber(x, 0)` turns NaN into 0; `Clamp(x, 0, +∞)` is the third one-pass spelling. None is exactly ReLU's semantics, all are one pass, so the bar is the fastest of the three at each size, which is what the tables use; `Max` alone is the stated bar and is listed on its own.");
        report.AppendLine("- Our kernels switch to non-temporal stores for outputs of 1 MiB and more (`ActivationKernel.NonTemporalThreshold`); TensorPrimitives has its own threshold. At 4 MiB the data still fits in this machine's caches, where ordinary stores win.");
        report.AppendLine("- TensorPrimitives' `ExpM1` is computed as exp(x) − 1 (no cancellation guard), and the ReLU–Softsign `max(x, softsign(x))` composition gives NaN at −∞ (−∞/∞), where ours gives −1: the compositions are the speed bar, not the accuracy bar.");
        report.AppendLine("- Numbers taken while other work shares the machine are indicative only; the load averages above say how busy it was.");
    }

    private static string Cell(int length, double nanoseconds) =>
        double.IsNaN(nanoseconds) ? "—" : $"{FormatTime(nanoseconds)} ({Throughput(GigabytesPerSecond(length, nanoseconds))})";

    private static double GigabytesPerSecond(int length, double nanoseconds) => 2.0 * length * sizeof(float) / nanoseconds;

    /// <summary>The medians, looked up by contender, subject and length; NaN where a case was not run.</summary>
    private sealed class Results(IReadOnlyList<Timing> timings)
    {
        private readonly Dictionary<(string, string, int), double> _times =
            timings.GroupBy(m => (m.Contender, m.Subject, m.Length)).ToDictionary(g => g.Key, g => g.Min(m => m.MedianNanoseconds));

        public IReadOnlyList<int> Lengths { get; } = timings.Select(m => m.Length).Distinct().Order().ToArray();

        public IReadOnlyList<string> Activations { get; } =
            EngineKernels.All.Select(a => a.Id).Where(id => timings.Any(m => m.Subject == id)).ToArray();

        public double Time(string contender, string subject, int length) =>
            _times.TryGetValue((contender, subject, length), out double time) ? time : double.NaN;

        public bool HasComposition(string id) => timings.Any(m => m.Contender == "tp" && m.Subject == id);

        /// <summary>The fastest of the three copies at this size.</summary>
        public double CeilingTime(int length) => NanMin(NanMin(Time("copy", "", length), Time("copy_nt", "", length)), Time("copy_vector", "", length));

        public string CeilingName(int length)
        {
            double ceiling = CeilingTime(length);
            return double.IsNaN(ceiling) ? "—"
                : ceiling == Time("copy", "", length) ? "Span.CopyTo"
                : ceiling == Time("copy_nt", "", length) ? "non-temporal" : "Vector512 copy";
        }

        public double BestCompositionTime(string activationId, int length) => BestComposition(activationId, length).Time;

        public (double Time, string? Id) BestComposition(string activationId, int length)
        {
            string target = activationId == "noisy_relu" ? "relu" : activationId;
            (double Time, string? Id) best = (double.NaN, null);
            foreach (TensorPrimitivesComposition composition in TensorPrimitivesComposition.All.Where(c => c.ActivationId == target))
            {
                double time = Time("tp", composition.Id, length);
                if (!double.IsNaN(time) && (best.Id is null || time < best.Time))
                {
                    best = (time, composition.Id);
                }
            }
            return best;
        }

        private static double NanMin(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Min(a, b);
    }
}
