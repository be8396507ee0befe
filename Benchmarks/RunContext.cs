using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Benchmarks;

/// <summary>What the report's header states about how its numbers were taken.</summary>
internal sealed record RunContext(string Mode, string Command, DateTimeOffset Started, TimeSpan Duration, string LoadBefore, string LoadAfter, string? Note)
{
    public static string ProcessorModel { get; } = ReadProcessorModel();

    public static string DotNetVersion => RuntimeInformation.FrameworkDescription;

    public static string BenchmarkDotNetVersion => PackageVersion(typeof(BenchmarkDotNet.Running.BenchmarkRunner));

    /// <summary>The version a type's assembly was built as, without the commit suffix.</summary>
    public static string PackageVersion(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";

    /// <summary>The report header's list: mode, date and duration, machine, runtime and packages, load averages, note.</summary>
    public void WriteDetails(StringBuilder report)
    {
        report.AppendLine($"- Mode: {Mode}");
        report.AppendLine($"- Date: {Started:yyyy-MM-dd HH:mm zzz}, {Duration.TotalMinutes.ToString("F1", CultureInfo.InvariantCulture)} minutes");
        report.AppendLine($"- Machine: {ProcessorModel} (lscpu model name), {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}");
        report.AppendLine($"- Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        report.AppendLine($"- Runtime: {DotNetVersion}; BenchmarkDotNet {BenchmarkDotNetVersion}; System.Numerics.Tensors {PackageVersion(typeof(System.Numerics.Tensors.TensorPrimitives))}; ONNX Runtime {PackageVersion(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))}");
        report.AppendLine($"- Load average (1/5/15 min) before: {LoadBefore}, after: {LoadAfter}");
        if (Note is not null)
        {
            report.AppendLine($"- Note: {Note}");
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages, which say whether the machine was busy.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ReadProcessorModel()
    {
        try
        {
            using var lscpu = Process.Start(new ProcessStartInfo("lscpu") { RedirectStandardOutput = true })!;
            string output = lscpu.StandardOutput.ReadToEnd();
            lscpu.WaitForExit();
            string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Model name:", StringComparison.Ordinal));
            return line?["Model name:".Length..].Trim() ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no lscpu)";
        }
    }
}
