using Engine.Activations;

namespace Benchmarks;

/// <summary>The Engine's kernels by id: the six activations plus the GELU and SiLU references.</summary>
internal static class EngineKernels
{
    public static IReadOnlyList<ActivationFunction> All => ActivationFunctions.Kernels;

    public static ActivationFunction Get(string id) =>
        All.FirstOrDefault(a => a.Id == id) ?? throw new ArgumentException($"The Engine has no kernel '{id}'.", nameof(id));
}
