using System.Diagnostics.CodeAnalysis;

namespace Engine.Activations;

/// <summary>
/// The registry of activations: every activation the engine has, by id. Every other list of activations (the
/// served ones, the exporter's and importer's, the study's order and colours, the benchmarks') is derived from
/// <see cref="All"/>, so an activation is added by writing its operator and adding it here.
/// </summary>
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

    /// <summary>GELU in its tanh approximation.</summary>
    public static ActivationFunction GeluTanh { get; } = new ActivationFunction<GeluTanhOperator>();

    /// <summary>SiLU (swish): x·σ(x).</summary>
    public static ActivationFunction Silu { get; } = new ActivationFunction<SiluOperator>();

    /// <summary>PReLU: x for x ≥ 0, a·x below, with a slope a learned for each unit, starting at 0.25.</summary>
    public static ActivationFunction PRelu { get; } = new LearnedSlopeFunction<PReluOperator>();

    /// <summary>SELU: λx for x ≥ 0, λα(eˣ − 1) below.</summary>
    public static ActivationFunction Selu { get; } = new ActivationFunction<SeluOperator>();

    /// <summary>
    /// Every activation, in the order reports show them: the article's six, then the modern ones. Each can be
    /// trained, exported to ONNX, imported back and studied.
    /// </summary>
    public static IReadOnlyList<ActivationFunction> All { get; } = [Relu, LeakyRelu, Elu, NoisyRelu, Softsign, ReluSoftsign, GeluTanh, Silu, PRelu, Selu];

    /// <summary>The activations whose trained models ship with the service (<see cref="ActivationRole.Served"/>), in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<ActivationFunction> Served { get; } = [.. All.Where(static a => a.Role == ActivationRole.Served)];

    /// <summary>The ids of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Ids { get; } = [.. All.Select(static a => a.Id)];

    /// <summary>Finds an activation by its id (case-insensitive).</summary>
    public static bool TryGet(string id, [NotNullWhen(true)] out ActivationFunction? activation)
    {
        activation = All.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));
        return activation is not null;
    }

    /// <summary>Finds an activation by its id (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No activation has that id; the message lists the valid ids.</exception>
    public static ActivationFunction Get(string id) =>
        TryGet(id, out ActivationFunction? activation)
            ? activation
            : throw new ArgumentException($"Unknown activation '{id}'. Valid ids: {string.Join(", ", Ids)}.", nameof(id));
}
