using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, α(eˣ − 1) below, with α = 1. −∞ gives −1; NaN propagates. The gradient is read from
/// the output: f'(x) = eˣ = y + 1 for x ≤ 0, so the backward pass needs no exponential.
/// </summary>
/// <remarks>
/// eˣ − 1 computed directly cancels catastrophically near 0 (at x = −1e−4 it is off by 0.1 %), so for
/// −ln 2 &lt; x &lt; 0 the kernel uses the degree-10 Taylor polynomial of eˣ − 1 (truncation error below
/// 0.01 ULP), and eˣ − 1 only below −ln 2, where eˣ &lt; ½ and the result exceeds ½ in magnitude, so an
/// error of an ULP in eˣ is at most an ULP of the result.
/// </remarks>
internal readonly struct EluOperator : IActivationOperator
{
    private const float SeriesLimit = -0.6931472f; // −ln 2, where eˣ = ½

    public static string Id => "elu";
    public static string Name => "ELU (α = 1)";
    public static string Formula => "f(x) = x for x ≥ 0, eˣ − 1 for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, eˣ = f(x) + 1 for x ≤ 0 (so f'(0) = α·e⁰ = 1)";
    public static GradientSource GradientSource => GradientSource.Output;

    public float Invoke(float x) => x < 0f ? (x > SeriesLimit ? ExpM1Series(x) : MathF.Exp(x) - 1f) : x;
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero),
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(SeriesLimit)), ExpM1Series(x), Vector128.Exp(x) - Vector128<float>.One),
            x);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero),
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(SeriesLimit)), ExpM1Series(x), Vector256.Exp(x) - Vector256<float>.One),
            x);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero),
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(SeriesLimit)), ExpM1Series(x), Vector512.Exp(x) - Vector512<float>.One),
            x);

    public float Derivative(float y) => y > 0f ? 1f : y + 1f;
    public Vector128<float> Derivative(Vector128<float> y) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), Vector128<float>.One, y + Vector128<float>.One);
    public Vector256<float> Derivative(Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256<float>.One, y + Vector256<float>.One);
    public Vector512<float> Derivative(Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512<float>.One, y + Vector512<float>.One);

    // x + x²/2! + … + x¹⁰/10!, in Horner form.
    private static float ExpM1Series(float x) =>
        x * (1f + x * (1f / 2 + x * (1f / 6 + x * (1f / 24 + x * (1f / 120 + x * (1f / 720 + x * (1f / 5040 + x * (1f / 40320 + x * (1f / 362880 + x * (1f / 3628800))))))))));
    private static Vector128<float> ExpM1Series(Vector128<float> x) =>
        x * (Vector128<float>.One + x * (Vector128.Create(1f / 2) + x * (Vector128.Create(1f / 6) + x * (Vector128.Create(1f / 24) + x * (Vector128.Create(1f / 120) + x * (Vector128.Create(1f / 720) + x * (Vector128.Create(1f / 5040) + x * (Vector128.Create(1f / 40320) + x * (Vector128.Create(1f / 362880) + x * Vector128.Create(1f / 3628800))))))))));
    private static Vector256<float> ExpM1Series(Vector256<float> x) =>
        x * (Vector256<float>.One + x * (Vector256.Create(1f / 2) + x * (Vector256.Create(1f / 6) + x * (Vector256.Create(1f / 24) + x * (Vector256.Create(1f / 120) + x * (Vector256.Create(1f / 720) + x * (Vector256.Create(1f / 5040) + x * (Vector256.Create(1f / 40320) + x * (Vector256.Create(1f / 362880) + x * Vector256.Create(1f / 3628800))))))))));
    private static Vector512<float> ExpM1Series(Vector512<float> x) =>
        x * (Vector512<float>.One + x * (Vector512.Create(1f / 2) + x * (Vector512.Create(1f / 6) + x * (Vector512.Create(1f / 24) + x * (Vector512.Create(1f / 120) + x * (Vector512.Create(1f / 720) + x * (Vector512.Create(1f / 5040) + x * (Vector512.Create(1f / 40320) + x * (Vector512.Create(1f / 362880) + x * Vector512.Create(1f / 3628800))))))))));
}
