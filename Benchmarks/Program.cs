using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Benchmarks;

// dotnet run -c Release --project Benchmarks -- [--quick [--rounds N]] [--filter <glob>...] [--activations a,b] [--sizes 1024,65536]
//                                               [--out <file.md>] [--note <text>] [other BenchmarkDotNet options]
// The network benchmarks have their own report, docs/benchmarks/network.md, and the fused-epilogue and per-layer
// benchmarks theirs, docs/benchmarks/fused-epilogue.md; --out names it when only they ran.
var arguments = new List<string>(args);
bool quick = TakeFlag(arguments, "--quick");
// Quick mode only: time the methods of each parameter set in turn, N rounds, and keep each one's median round.
int rounds = TakeOption(arguments, "--rounds") is { } roundsText ? int.Parse(roundsText, System.Globalization.CultureInfo.InvariantCulture) : 1;
string? activations = TakeOption(arguments, "--activations");
string? sizes = TakeOption(arguments, "--sizes");
string? note = TakeOption(arguments, "--note");
string root = Repository.Root;
string? output = TakeOption(arguments, "--out");

if (activations is not null)
{
    BenchmarkSelection.Activations = activations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    foreach (string id in BenchmarkSelection.Activations)
    {
        EngineKernels.Get(id);
    }
}
if (sizes is not null)
{
    BenchmarkSelection.Lengths = sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}

Type[] benchmarkTypes = [typeof(ActivationBenchmarks), typeof(TensorPrimitivesBenchmarks), typeof(CopyBenchmarks), typeof(NoisyReluTrainingBenchmarks), typeof(GemmBenchmarks),
    typeof(NetworkInferenceBenchmarks), typeof(NetworkTrainingBenchmarks), typeof(FusedEpilogueBenchmarks), typeof(EnhancedLayerBenchmarks), typeof(PipelineBenchmarks)];
string loadBefore = RunContext.LoadAverage();
DateTimeOffset started = DateTimeOffset.Now;
var stopwatch = Stopwatch.StartNew();
IReadOnlyList<Timing> timings;
if (quick)
{
    string[] filters = TakeAllOptions(arguments, "--filter");
    IEnumerable<BenchmarkCase> cases = benchmarkTypes
        .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t).BenchmarksCases)
        .Where(c => filters.Length == 0 || filters.Any(f => GlobMatches(f, $"{c.Descriptor.Type.FullName}.{c.Descriptor.WorkloadMethod.Name}")));
    timings = QuickRunner.Run(cases, rounds);
}
else
{
    IConfig config = BenchmarkConfig.Create(Path.Combine(root, "BenchmarkDotNet.Artifacts"));
    // BenchmarkSwitcher asks interactively which benchmarks to run unless a filter names them.
    if (!arguments.Contains("--filter"))
    {
        arguments.AddRange(["--filter", "*"]);
    }
    IEnumerable<Summary> summaries = BenchmarkSwitcher.FromTypes(benchmarkTypes).Run(arguments.ToArray(), config);
    timings = summaries
        .SelectMany(s => s.Reports)
        .Where(r => r.ResultStatistics is not null)
        .Select(r => QuickRunner.ToMeasurement(r.BenchmarkCase, r.ResultStatistics!.Median))
        .ToList();
}

var context = new RunContext(
    quick ? rounds > 1 ? $"quick (in-process Stopwatch medians), {rounds} interleaved rounds per parameter set, median round" : "quick (in-process Stopwatch medians)" : "full (BenchmarkDotNet)",
    "dotnet run -c Release --project Benchmarks --" + string.Concat(args.Select(a => " " + (a.Contains(' ') ? $"\"{a}\"" : a))),
    started,
    stopwatch.Elapsed,
    loadBefore,
    RunContext.LoadAverage(),
    note);
List<Timing> networkTimings = [.. timings.Where(NetworkReport.Covers)];
List<Timing> epilogueTimings = [.. timings.Where(FusedEpilogueReport.Covers)];
List<Timing> pipelineTimings = [.. timings.Where(PipelineReport.Covers)];
List<Timing> kernelTimings = [.. timings.Where(t => !NetworkReport.Covers(t) && !FusedEpilogueReport.Covers(t) && !PipelineReport.Covers(t))];
if (pipelineTimings.Count > 0)
{
    Write(Path.Combine(output is null ? Path.Combine(root, "docs", "benchmarks") : Path.GetDirectoryName(Path.GetFullPath(output))!, "pipeline.md"),
        PipelineReport.Write(pipelineTimings, context), pipelineTimings.Count);
}
if (epilogueTimings.Count > 0)
{
    string epilogueOutput = output is not null && kernelTimings.Count == 0 && networkTimings.Count == 0 ? output
        : Path.Combine(output is null ? Path.Combine(root, "docs", "benchmarks") : Path.GetDirectoryName(Path.GetFullPath(output))!, "fused-epilogue.md");
    Write(epilogueOutput, FusedEpilogueReport.Write(epilogueTimings, context), epilogueTimings.Count);
}
if (kernelTimings.Count > 0 || (networkTimings.Count == 0 && epilogueTimings.Count == 0 && pipelineTimings.Count == 0))
{
    Write(output ?? Path.Combine(root, "docs", "benchmarks", "activations.md"), ActivationReport.Write(kernelTimings, context), kernelTimings.Count);
}
if (networkTimings.Count > 0)
{
    // Alone, the network report takes --out; beside the kernels' report it goes next to that one.
    string networkOutput = output is null ? Path.Combine(root, "docs", "benchmarks", "network.md")
        : kernelTimings.Count == 0 ? output
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "network.md");
    Write(networkOutput, NetworkReport.Write(networkTimings, context), networkTimings.Count);
}
Console.WriteLine($"{timings.Count} timings in {stopwatch.Elapsed:mm\\:ss}.");

static void Write(string path, string report, int timings)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllText(path, report);
    Console.WriteLine($"Wrote {path} ({timings} timings).");
}

static bool TakeFlag(List<string> arguments, string name) => arguments.Remove(name);

static string? TakeOption(List<string> arguments, string name)
{
    int index = arguments.IndexOf(name);
    if (index < 0 || index + 1 >= arguments.Count)
    {
        return null;
    }
    string value = arguments[index + 1];
    arguments.RemoveRange(index, 2);
    return value;
}

// BenchmarkDotNet's own form: --filter takes one or more globs up to the next option.
static string[] TakeAllOptions(List<string> arguments, string name)
{
    int index = arguments.IndexOf(name);
    if (index < 0)
    {
        return [];
    }
    int end = index + 1;
    while (end < arguments.Count && !arguments[end].StartsWith("--", StringComparison.Ordinal))
    {
        end++;
    }
    string[] values = arguments.GetRange(index + 1, end - index - 1).ToArray();
    arguments.RemoveRange(index, end - index);
    return values;
}

static bool GlobMatches(string glob, string name) =>
    System.Text.RegularExpressions.Regex.IsMatch(
        name,
        "^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase);
