using System.Diagnostics;
using Engine.Activations;
using Engine.Data;
using Engine.Training;
using Tests.Engine.Data;

namespace Tests.Engine.Training;

/// <summary>
/// TrainingOptions.Seed promises "the same seed gives the same network", and model cards record the seed so
/// that a model can be remade. Within one process that holds (see <see cref="ConvNetTrainerTests"/>); this
/// checks it across processes, by training the same small network in a child process (F# interactive, which
/// ships with the SDK that runs these tests) and comparing the weights bit for bit.
/// </summary>
public class ConvNetTrainerReproducibilityTests
{
    // Formerly a bug: the trainer derived its per-epoch and per-chunk seeds with the per-process-salted
    // HashCode.Combine; it now uses Seeds.Derive, which is the same in every process.
    [Fact]
    public void Train_SameSeed_GivesTheSameNetworkInAnotherProcess()
    {
        string script = Path.Combine(Path.GetTempPath(), $"train-{Guid.NewGuid():N}.fsx");
        string bin = AppContext.BaseDirectory;
        File.WriteAllText(script, $$"""
            #r @"{{Path.Combine(bin, "Contracts.dll")}}"
            #r @"{{Path.Combine(bin, "System.Numerics.Tensors.dll")}}"
            #r @"{{Path.Combine(bin, "SixLabors.ImageSharp.dll")}}"
            #r @"{{Path.Combine(bin, "Engine.dll")}}"
            open Engine.Data
            open Engine.Training
            open Engine.Activations
            let splits = DigitSplits.Load(@"{{TestMnist.Directory}}")
            let spread (d: DigitDataset) n = PreparedDigits.From(d.Subset([| for i in 0 .. n - 1 -> int (int64 i * int64 d.Count / int64 n) |]))
            let options = TrainingOptions(Epochs = {{Options.Epochs}}, BatchSize = {{Options.BatchSize}}, MaxShift = {{Options.MaxShift}}, Seed = {{Options.Seed}})
            let result = ConvNetTrainer.Train(ActivationFunctions.NoisyRelu, spread splits.Training 128, spread splits.Validation 32, options)
            printfn "%s" (System.String.Join(",", result.Network.Parameters.ConvWeight |> Array.map System.BitConverter.SingleToInt32Bits))
            """);
        try
        {
            string childWeights = RunFsi(script);

            TrainingResult here = ConvNetTrainer.Train(ActivationFunctions.NoisyRelu, Spread(TestMnist.Load().Training, 128), Spread(TestMnist.Load().Validation, 32), Options);

            Assert.Equal(string.Join(",", here.Network.Parameters.ConvWeight.Select(BitConverter.SingleToInt32Bits)), childWeights);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static readonly TrainingOptions Options = new() { Epochs = 1, BatchSize = 32, MaxShift = 2, Seed = 11 };

    private static PreparedDigits Spread(DigitDataset dataset, int count) =>
        PreparedDigits.From(dataset.Subset([.. Enumerable.Range(0, count).Select(i => (int)((long)i * dataset.Count / count))]));

    private static string RunFsi(string script)
    {
        var start = new ProcessStartInfo("dotnet", ["fsi", "--quiet", "--exec", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet fsi did not start");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "dotnet fsi did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"dotnet fsi failed: {error.Result}");
        return output.Trim();
    }
}
