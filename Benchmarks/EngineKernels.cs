using Engine.Activations;

namespace Benchmarks;

/// <summary>The Engine's kernels by id: the six activations, plus the GELU and SiLU references once the Engine has them.</summary>
internal static class EngineKernels
{
#if ENGINE_PARALLEL
    public static IReadOnlyList<ActivationFunction> All => ActivationFunctions.Kernels;
#else
    public static IReadOnlyList<ActivationFunction> All => ActivationFunctions.All;
#endif

    public static ActivationFunction Get(string id) =>
        All.FirstOrDefault(a => a.Id == id) ?? throw new ArgumentException($"The Engine has no kernel '{id}'.", nameof(id));
}
