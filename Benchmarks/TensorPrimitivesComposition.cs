using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Benchmarks;

/// <summary>
/// An activation built from <see cref="System.Numerics.Tensors.TensorPrimitives"/> calls, each a full pass
/// over the data. Destinations reuse the output (TensorPrimitives allows a destination that is exactly an
/// input) or one preallocated scratch buffer, so nothing is allocated per call.
/// </summary>
/// <param name="Id">A short id, used as the benchmark parameter.</param>
/// <param name="ActivationId">The activation it computes.</param>
/// <param name="Recipe">The calls, in order, as text.</param>
/// <param name="Passes">How many times the data is walked.</param>
/// <param name="Run">Computes y from x, using scratch (as long as x) as it likes.</param>
internal sealed record TensorPrimitivesComposition(string Id, string ActivationId, string Recipe, int Passes, TensorPrimitivesComposition.Kernel Run)
{
    public delegate void Kernel(ReadOnlySpan<float> x, Span<float> y, Span<float> scratch);

    // √(2/π), and twice it: 0.5·x·(1 + tanh(u)) = x·σ(2u).
    private const float GeluScale = 0.7978845608f;
    private const float GeluCubic = 0.044715f;

    /// <summary>Every composition tried; the report keeps the fastest per activation and size.</summary>
    public static IReadOnlyList<TensorPrimitivesComposition> All { get; } =
    [
        new("relu.max", "relu", "Max(x, 0) — the stated bar", 1,
            static (x, y, _) => TP.Max(x, 0f, y)),
        new("relu.maxnumber", "relu", "MaxNumber(x, 0)", 1,
            static (x, y, _) => TP.MaxNumber(x, 0f, y)),
        new("relu.clamp", "relu", "Clamp(x, 0, +∞)", 1,
            static (x, y, _) => TP.Clamp(x, 0f, float.PositiveInfinity, y)),

        new("leaky_relu.mul_max", "leaky_relu", "Multiply(x, 0.1) → Max(x, ·)", 2,
            static (x, y, _) =>
            {
                TP.Multiply(x, 0.1f, y);
                TP.Max(x, y, y);
            }),
        new("leaky_relu.min_fma", "leaky_relu", "Min(x, 0) → MultiplyAdd(·, −0.9, x)", 2,
            static (x, y, _) =>
            {
                TP.Min(x, 0f, y);
                TP.MultiplyAdd(y, -0.9f, x, y);
            }),

        new("elu.expm1_add", "elu", "Min(x, 0) → ExpM1 → + Max(x, 0)", 4,
            static (x, y, scratch) =>
            {
                TP.Min(x, 0f, y);
                TP.ExpM1(y, y);
                TP.Max(x, 0f, scratch);
                TP.Add(y, scratch, y);
            }),
        // eˣ − 1 > x for every x < 0 and is 0 at min(x, 0) = 0, so one Max replaces Max + Add.
        new("elu.expm1_max", "elu", "Min(x, 0) → ExpM1 → Max(x, ·)", 3,
            static (x, y, _) =>
            {
                TP.Min(x, 0f, y);
                TP.ExpM1(y, y);
                TP.Max(x, y, y);
            }),

        new("softsign.abs_add_div", "softsign", "Abs(x) → Add(·, 1) → Divide(x, ·)", 3,
            static (x, y, _) =>
            {
                TP.Abs(x, y);
                TP.Add(y, 1f, y);
                TP.Divide(x, y, y);
            }),

        new("relu_softsign.min_softsign_add", "relu_softsign", "m = Min(x, 0) → m / (1 + |m|) → + Max(x, 0)", 6,
            static (x, y, scratch) =>
            {
                TP.Min(x, 0f, y);
                TP.Abs(y, scratch);
                TP.Add(scratch, 1f, scratch);
                TP.Divide(y, scratch, y);
                TP.Max(x, 0f, scratch);
                TP.Add(y, scratch, y);
            }),
        // softsign(x) > x below 0 and < x above it, so ReLU–Softsign is max(x, softsign(x)).
        new("relu_softsign.max_softsign", "relu_softsign", "Abs(x) → Add(·, 1) → Divide(x, ·) → Max(x, ·)", 4,
            static (x, y, _) =>
            {
                TP.Abs(x, y);
                TP.Add(y, 1f, y);
                TP.Divide(x, y, y);
                TP.Max(x, y, y);
            }),

        new("gelu_tanh.sigmoid", "gelu_tanh", "x · Sigmoid(2√(2/π)·x·(1 + 0.044715x²))", 6,
            static (x, y, _) =>
            {
                TP.Multiply(x, x, y);
                TP.Multiply(y, 2f * GeluScale * GeluCubic, y);
                TP.Add(y, 2f * GeluScale, y);
                TP.Multiply(y, x, y);
                TP.Sigmoid(y, y);
                TP.Multiply(x, y, y);
            }),
        new("gelu_tanh.tanh", "gelu_tanh", "0.5x · (1 + Tanh(√(2/π)·x·(1 + 0.044715x²)))", 7,
            static (x, y, scratch) =>
            {
                TP.Multiply(x, x, y);
                TP.Multiply(y, GeluScale * GeluCubic, y);
                TP.Add(y, GeluScale, y);
                TP.Multiply(y, x, y);
                TP.Tanh(y, y);
                TP.Multiply(x, 0.5f, scratch);
                TP.MultiplyAdd(y, scratch, scratch, y);
            }),

        new("silu.sigmoid_mul", "silu", "Sigmoid(x) → Multiply(x, ·)", 2,
            static (x, y, _) =>
            {
                TP.Sigmoid(x, y);
                TP.Multiply(x, y, y);
            }),
    ];

    public override string ToString() => Id;
}
