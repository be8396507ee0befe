using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Running;

namespace Benchmarks;

/// <summary>
/// The --quick mode: the same benchmark classes, cases and filter as the full run, timed in process with a
/// Stopwatch (a short warm-up, then the median of a few batches), so every case fits in well under a
/// second. BenchmarkDotNet's per-case process, pilot and overhead stages would take several seconds each.
/// </summary>
internal static class QuickRunner
{
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(80);
    private static readonly TimeSpan MeasureTime = TimeSpan.FromMilliseconds(120);
    private static readonly TimeSpan SampleTime = TimeSpan.FromMilliseconds(2);
    private const int MinimumSamples = 5;

    /// <summary>
    /// A call at least this long (a training epoch) is timed over 1 warm-up and <see cref="LongCallSamples"/>
    /// measured calls instead: 3 warm-ups and 5 samples of a 2-second epoch would take 16 seconds a case.
    /// </summary>
    private static readonly TimeSpan LongCall = TimeSpan.FromMilliseconds(500);
    private const int LongCallSamples = 3;

    /// <summary>
    /// Times every case. With more than one round, the methods of a parameter set are timed in turn, round
    /// after round, and each reports the median of its rounds: on a shared machine whose load drifts, methods
    /// compared with each other then see the same load.
    /// </summary>
    public static IReadOnlyList<Timing> Run(IEnumerable<BenchmarkCase> cases, int rounds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var timings = new List<Timing>();
        // One instance and one setup per parameter set, shared by its methods, as BenchmarkDotNet's global setup is.
        foreach (IGrouping<string, BenchmarkCase> group in cases.GroupBy(c => $"{c.Descriptor.Type.FullName}({c.Parameters.DisplayInfo})"))
        {
            BenchmarkCase first = group.First();
            object instance = Activator.CreateInstance(first.Descriptor.Type)!;
            foreach (var parameter in first.Parameters.Items)
            {
                first.Descriptor.Type.GetProperty(parameter.Name)!.SetValue(instance, parameter.Value);
            }
            first.Descriptor.GlobalSetupMethod?.Invoke(instance, null);
            try
            {
                BenchmarkCase[] members = [.. group];
                Action[] workloads = [.. members.Select(c => c.Descriptor.WorkloadMethod.CreateDelegate<Action>(instance))];
                var perRound = members.Select(_ => new List<double>()).ToArray();
                for (int round = 0; round < rounds; round++)
                {
                    for (int m = 0; m < members.Length; m++)
                    {
                        perRound[m].Add(MedianNanoseconds(workloads[m]));
                    }
                }
                for (int m = 0; m < members.Length; m++)
                {
                    BenchmarkCase benchmarkCase = members[m];
                    perRound[m].Sort();
                    double median = perRound[m][perRound[m].Count / 2];
                    Timing timing = ToMeasurement(benchmarkCase, median);
                    timings.Add(timing);
                    string rate = GemmReport.Covers(timing) ? $"{GemmReport.GigaflopsPerSecond(timing.Subject, median),8:F1} GFLOP/s"
                        : NetworkReport.Covers(timing) || FusedEpilogueReport.Covers(timing) || PipelineReport.Covers(timing) ? $"{NetworkReport.ImagesPerSecond(timing.Length, median),8:F0} images/s"
                        : $"{timing.GigabytesPerSecond,8:F1} GB/s";
                    Console.WriteLine($"{benchmarkCase.Descriptor.WorkloadMethod.Name,-20} {benchmarkCase.Parameters.DisplayInfo,-50} {ActivationReport.FormatTime(median),12} {rate}");
                }
            }
            finally
            {
                first.Descriptor.GlobalCleanupMethod?.Invoke(instance, null);
            }
        }
        return timings;
    }

    public static Timing ToMeasurement(BenchmarkCase benchmarkCase, double medianNanoseconds)
    {
        object? subject = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name is "Activation" or "Composition" or "Shape" or "Architecture" or "Layer" or "Model")?.Value;
        object? length = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name is "Length" or "Batch")?.Value;
        string contender = Timing.ContenderOf(benchmarkCase.Descriptor.Type, benchmarkCase.Descriptor.WorkloadMethod.Name);
        if (contender == "network_training")
        {
            length = NetworkTrainingBenchmarks.TrainingImages;
        }
        else if (contender == "pipeline_all_cores")
        {
            length = PipelineBenchmarks.ImagesPerAllCoresCall;
        }
        else if (PipelineReport.Covers(new Timing(contender, "", 0, 0)))
        {
            length = 1;
        }
        return new Timing(contender, subject as string ?? "", length as int? ?? 0, medianNanoseconds);
    }

    private static double MedianNanoseconds(Action workload)
    {
        // Warm up long enough for tiered compilation to have replaced the loops with optimised code.
        var stopwatch = Stopwatch.StartNew();
        workload();
        int calls = 1;
        bool longCall = stopwatch.Elapsed >= LongCall;
        while (!longCall && (calls < 3 || stopwatch.Elapsed < WarmupTime))
        {
            workload();
            calls++;
        }
        double perCall = stopwatch.Elapsed.TotalNanoseconds / calls;
        int batch = Math.Max(1, (int)(SampleTime.TotalNanoseconds / perCall));
        int minimumSamples = longCall ? LongCallSamples : MinimumSamples;

        var samples = new List<double>();
        stopwatch.Restart();
        while (samples.Count < minimumSamples || (!longCall && stopwatch.Elapsed < MeasureTime))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                workload();
            }
            samples.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }
}
