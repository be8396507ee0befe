using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace Benchmarks;

/// <summary>The full run's configuration.</summary>
internal static class BenchmarkConfig
{
    /// <summary>
    /// One launch, 3 warm-up and 11 measured iterations of about 120 ms each. The unroll factor is 1 because
    /// a 64 MiB scalar GELU call alone takes ~150 ms: BenchmarkDotNet's default of 16 calls per unrolled
    /// step would make each of those iterations seconds long. At 4 KiB a call is tens of nanoseconds and
    /// the loop overhead BenchmarkDotNet subtracts is about one.
    /// </summary>
    public static IConfig Create(string artifactsPath) =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default
                .WithId("Activations")
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(11)
                .WithIterationTime(TimeInterval.FromMilliseconds(120))
                .WithUnrollFactor(1))
            .AddColumn(StatisticColumn.Median)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);
}
