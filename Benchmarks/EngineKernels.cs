using Engine.Activations;

namespace Benchmarks;

/// <summary>The Engine's kernels by id: every activation of the registry.</summary>
internal static class EngineKernels
{
    public static IReadOnlyList<ActivationFunction> All => ActivationFunctions.All;

    public static ActivationFunction Get(string id) =>
        All.FirstOrDefault(a => a.Id == id) ?? throw new ArgumentException($"The Engine has no kernel '{id}'.", nameof(id));
}
