using System.Diagnostics.CodeAnalysis;

namespace Engine.Activations;

/// <summary>Every activation the engine offers, by id.</summary>
public static class ActivationFunctions
{
    /// <summary>ReLU: max(0, x).</summary>
    public static ActivationFunction Relu { get; } = new ActivationFunction<ReluOperator>();

    /// <summary>Leaky ReLU with α = 0.1, the article's value.</summary>
    public static ActivationFunction LeakyRelu { get; } = new ActivationFunction<LeakyReluOperator>();

    /// <summary>ELU with α = 1.</summary>
    public static ActivationFunction Elu { get; } = new ActivationFunction<EluOperator>();

    /// <summary>Noisy ReLU: Gaussian noise while training, plain ReLU at inference.</summary>
    public static ActivationFunction NoisyRelu { get; } = new NoisyReluFunction();

    /// <summary>Softsign: x / (1 + |x|).</summary>
    public static ActivationFunction Softsign { get; } = new ActivationFunction<SoftsignOperator>();

    /// <summary>The article's ReLU–Softsign: x for x ≥ 0, x / (1 + |x|) below.</summary>
    public static ActivationFunction ReluSoftsign { get; } = new ActivationFunction<ReluSoftsignOperator>();

    /// <summary>GELU in its tanh approximation: a modern reference kernel, not served by a model.</summary>
    public static ActivationFunction GeluTanh { get; } = new ActivationFunction<GeluTanhOperator>();

    /// <summary>SiLU (swish): a modern reference kernel, not served by a model.</summary>
    public static ActivationFunction Silu { get; } = new ActivationFunction<SiluOperator>();

    /// <summary>The activations of the product, each with a trained model, in a fixed order.</summary>
    public static IReadOnlyList<ActivationFunction> All { get; } = [Relu, LeakyRelu, Elu, NoisyRelu, Softsign, ReluSoftsign];

    /// <summary>Every kernel: <see cref="All"/> and the modern references GELU and SiLU.</summary>
    public static IReadOnlyList<ActivationFunction> Kernels { get; } = [.. All, GeluTanh, Silu];

    /// <summary>The ids of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Ids { get; } = All.Select(a => a.Id).ToArray();

    /// <summary>Finds an activation of <see cref="All"/> by its id (case-insensitive).</summary>
    public static bool TryGet(string id, [NotNullWhen(true)] out ActivationFunction? activation)
    {
        activation = All.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));
        return activation is not null;
    }

    /// <summary>Finds an activation of <see cref="All"/> by its id (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No activation has that id; the message lists the valid ids.</exception>
    public static ActivationFunction Get(string id) =>
        TryGet(id, out ActivationFunction? activation)
            ? activation
            : throw new ArgumentException($"Unknown activation '{id}'. Valid ids: {string.Join(", ", Ids)}.", nameof(id));
}
