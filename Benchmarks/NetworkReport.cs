using System.Globalization;
using System.Text;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Training.Pipeline;

namespace Benchmarks;

/// <summary>
/// Writes docs/benchmarks/network.md: per architecture and batch, the managed network's inference time and
/// throughput against ONNX Runtime's on the same weights and images, with the ≥ 0.5× target per row, and the
/// training throughput of one epoch.
/// </summary>
internal static class NetworkReport
{
    /// <summary>The managed network's throughput should be at least this fraction of ONNX Runtime's.</summary>
    public const double TargetRatio = 0.5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether a timing is one of <see cref="NetworkInferenceBenchmarks"/>' or <see cref="NetworkTrainingBenchmarks"/>'.</summary>
    public static bool Covers(Timing timing) => timing.Contender is "network_managed" or "network_ort" or "network_ort_all_cores" or "network_training";

    public static double ImagesPerSecond(int images, double nanoseconds) => images * 1e9 / nanoseconds;

    public static string Write(IReadOnlyList<Timing> timings, RunContext context)
    {
        List<Timing> network = [.. timings.Where(Covers)];
        var report = new StringBuilder();
        WriteHeader(report, context);
        foreach (NetworkArchitecture architecture in NetworkArchitecture.All)
        {
            WriteInference(report, network, architecture);
        }
        WriteTraining(report, network);
        WriteNotes(report);
        return report.ToString();
    }

    private static void WriteHeader(StringBuilder report, RunContext context)
    {
        var service = new InferenceOptions();
        report.AppendLine("# Network benchmarks: managed inference against ONNX Runtime, and training throughput");
        report.AppendLine();
        report.AppendLine("Produced by:");
        report.AppendLine();
        report.AppendLine("```");
        report.AppendLine(context.Command);
        report.AppendLine("```");
        report.AppendLine();
        report.AppendLine("`--quick` times in process (Stopwatch medians after a short warm-up; a call of 0.5 s or more, such as a training epoch, is timed over 1 warm-up and 3 measured calls); without it BenchmarkDotNet runs every case in its own process (1 launch, 3 warm-up + 11 measured iterations of ≥ 120 ms). `--filter \"*NetworkInference*\"` or `\"*NetworkTraining*\"` runs one half.");
        report.AppendLine();
        context.WriteDetails(report);
        report.AppendLine();
        report.AppendLine($"Inference: `Network.Classify` (managed; batches of more than {Network.InferenceBlock} images are split into blocks of {Network.InferenceBlock} across all cores, {Environment.ProcessorCount} here) against `OnnxRuntimeBackend.Classify` (ONNX Runtime, one session on the CPU, built as the service builds it: `InferenceDevice.CreateSessionOptions` with `InferenceOptions`' defaults, so `IntraOpNumThreads` = {service.IntraOpThreads} and all graph optimisations; the service runs requests side by side instead), and the same with one intra-op thread per core ({Environment.ProcessorCount}), since the managed path uses every core for a batch; the target is judged against the faster of the two. Every call includes its own per-call costs as the service pays them: the managed path reuses pooled workspaces and reads the batch in place, `OnnxRuntimeBackend` copies the images into a pooled buffer and ONNX Runtime allocates the outputs. The network is He-initialised (seed 5) with biases drawn from [−0.1, 0.1], activation `{NetworkInferenceBenchmarks.ActivationId}`, exported with `NetworkOnnxExporter`; setup checks that both paths' probabilities agree within {NetworkInferenceBenchmarks.Tolerance.ToString("G1", Invariant)} and stops otherwise. Images: {BenchmarkDigits.Source}.");
        report.AppendLine();
        report.AppendLine("Both contenders of a row ran in the same run, one after the other (quick mode: in the same process, over the same image buffer), so the machine's load weighs on both.");
        report.AppendLine();
    }

    private static void WriteInference(StringBuilder report, List<Timing> timings, NetworkArchitecture architecture)
    {
        int[] batches = [.. timings.Where(t => t.Subject == architecture.Name && t.Contender is "network_managed" or "network_ort").Select(t => t.Length).Distinct().Order()];
        if (batches.Length == 0)
        {
            return;
        }
        report.AppendLine($"## Inference: {architecture.Name}");
        report.AppendLine();
        report.AppendLine(architecture.Description);
        report.AppendLine();
        report.AppendLine($"| Batch | Managed median | ORT median, 1 thread (service) | ORT median, {Environment.ProcessorCount} threads | Managed images/s | faster ORT images/s | Managed ÷ faster ORT throughput | ≥ {TargetRatio.ToString("F1", Invariant)}× |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (int batch in batches)
        {
            double managed = Time(timings, "network_managed", architecture.Name, batch);
            double ort = Time(timings, "network_ort", architecture.Name, batch);
            double ortAllCores = Time(timings, "network_ort_all_cores", architecture.Name, batch);
            double fasterOrt = double.IsNaN(ortAllCores) ? ort : Math.Min(ort, ortAllCores);
            double ratio = fasterOrt / managed;
            string verdict = double.IsNaN(ratio) ? "n/a" : ratio >= TargetRatio ? "PASS" : "FAIL";
            report.AppendLine($"| {batch} | {ActivationReport.FormatTime(managed)} | {ActivationReport.FormatTime(ort)} | {ActivationReport.FormatTime(ortAllCores)} | {Rate(batch, managed)} | {Rate(batch, fasterOrt)} | {(double.IsNaN(ratio) ? "—" : ratio.ToString("F2", Invariant) + "×")} | {verdict} |");
        }
        report.AppendLine();
    }

    private static void WriteTraining(StringBuilder report, List<Timing> timings)
    {
        List<Timing> training = [.. timings.Where(t => t.Contender == "network_training")];
        if (training.Count == 0)
        {
            return;
        }
        report.AppendLine("## Training throughput");
        report.AppendLine();
        report.AppendLine($"One call: `NetworkTrainer.Train` for 1 epoch over {NetworkTrainingBenchmarks.TrainingImages} images, validation on {NetworkTrainingBenchmarks.ValidationImages}, activation `{NetworkInferenceBenchmarks.ActivationId}`, `TrainingOptions.For(architecture)` with Epochs = 1 and Patience = 0, on every core. The time includes creating the network and its buffers and the validation pass. Images/s = {NetworkTrainingBenchmarks.TrainingImages} ÷ median time.");
        report.AppendLine();
        report.AppendLine($"| Architecture | Options | Median epoch time, {NetworkTrainingBenchmarks.TrainingImages} images | Images/s |");
        report.AppendLine("|---|---|---:|---:|");
        foreach (NetworkArchitecture architecture in NetworkArchitecture.All.Where(a => training.Any(t => t.Subject == a.Name)))
        {
            double time = Time(training, "network_training", architecture.Name, NetworkTrainingBenchmarks.TrainingImages);
            report.AppendLine($"| {architecture.Name} | {Describe(TrainingOptions.For(architecture))} | {ActivationReport.FormatTime(time)} | {Rate(NetworkTrainingBenchmarks.TrainingImages, time)} |");
        }
        report.AppendLine();
    }

    private static void WriteNotes(StringBuilder report)
    {
        report.AppendLine("## Notes");
        report.AppendLine();
        ActivationFunction activation = ActivationFunctions.Get(NetworkInferenceBenchmarks.ActivationId);
        string shares = string.Join("; ", NetworkArchitecture.All.Select(a =>
        {
            IReadOnlyList<Layer> layers = a.Build(activation);
            long activations = layers.OfType<ActivationLayer>().Sum(l => (long)l.Output.Size);
            long multiplyAdds = layers.Sum(l => l switch
            {
                ConvolutionLayer conv => (long)conv.Output.Area * conv.Taps * conv.Filters,
                DenseLayer dense => (long)dense.Input.Size * dense.Units,
                _ => 0L,
            });
            return $"{a.Name}: {activations.ToString("N0", Invariant)} activation values against {multiplyAdds.ToString("N0", Invariant)} multiply–adds in the convolutions and dense layers per image";
        }));
        report.AppendLine($"- One activation is measured because it is a small share of a pass ({shares}); another activation would move these numbers by a few percent at most.");
        report.AppendLine($"- The managed path hands batches of more than {Network.InferenceBlock} images to the thread pool and waits for every block. On a machine busier than its cores (a load average above {Environment.ProcessorCount}) each hand-off waits for a core, so those rows suffer most: compare them with the batch-1 time times the batch.");
        report.AppendLine("- Numbers taken while other work shares the machine are indicative only; the load averages above say how busy it was.");
    }

    private static double Time(List<Timing> timings, string contender, string architecture, int images) =>
        timings.Where(t => t.Contender == contender && t.Subject == architecture && t.Length == images)
            .Select(t => t.MedianNanoseconds).DefaultIfEmpty(double.NaN).Min();

    private static string Rate(int images, double nanoseconds) =>
        double.IsNaN(nanoseconds) ? "—" : ImagesPerSecond(images, nanoseconds).ToString("N0", Invariant);

    private static string Describe(TrainingOptions options) =>
        $"batch {options.BatchSize}, Adam lr {options.LearningRate.ToString("G3", Invariant)}, shift ±{options.MaxShift} px"
        + (options.MaxRotationDegrees > 0 ? $", rotation ±{options.MaxRotationDegrees.ToString("G3", Invariant)}°" : "")
        + (options.MaxScale > 0 ? $", scale ±{(options.MaxScale * 100).ToString("G3", Invariant)}%" : "");
}
