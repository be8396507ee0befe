namespace Benchmarks;

/// <summary>
/// What one run measures: every Engine kernel at every size, unless --activations or --sizes narrow it.
/// BenchmarkDotNet reads these in the host process and writes the values into the generated benchmark
/// programs, so setting them from the command line reaches every benchmark.
/// </summary>
internal static class BenchmarkSelection
{
    public static IReadOnlyList<string> Activations { get; set; } = EngineKernels.All.Select(a => a.Id).ToArray();

    public static IReadOnlyList<int> Lengths { get; set; } = InputData.Lengths;

    /// <summary>The TensorPrimitives compositions of the selected activations (Noisy ReLU infers as ReLU).</summary>
    public static IEnumerable<string> Compositions =>
        TensorPrimitivesComposition.All
            .Where(c => Activations.Contains(c.ActivationId) || (c.ActivationId == "relu" && Activations.Contains("noisy_relu")))
            .Select(c => c.Id);
}
