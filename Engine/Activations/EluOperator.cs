using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, α(eˣ − 1) below, with α = 1. −∞ gives −1; NaN propagates.
/// </summary>
/// <remarks>
/// eˣ − 1 computed directly cancels catastrophically near 0 (at x = −1e−4 it is off by 0.1 %), so for
/// −0.25 &lt; x &lt; 0 the kernel uses the degree-7 Taylor polynomial of eˣ − 1, whose truncation error is
/// below |x|·2e−9, and eˣ − 1 only where the result is at least 0.22 in magnitude. The result is then
/// within a few ULP of the exact value.
/// </remarks>
internal readonly struct EluOperator : IActivationOperator
{
    private const float SeriesLimit = -0.25f;

    public static string Id => "elu";
    public static string Name => "ELU (α = 1)";
    public static string Formula => "f(x) = x for x ≥ 0, eˣ − 1 for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, eˣ for x ≤ 0 (so f'(0) = α·e⁰ = 1)";

    public static float Invoke(float x) => x < 0f ? (x > SeriesLimit ? ExpM1Series(x) : MathF.Exp(x) - 1f) : x;
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero),
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(SeriesLimit)), ExpM1Series(x), Vector128.Exp(x) - Vector128<float>.One),
            x);
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero),
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(SeriesLimit)), ExpM1Series(x), Vector256.Exp(x) - Vector256<float>.One),
            x);
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero),
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(SeriesLimit)), ExpM1Series(x), Vector512.Exp(x) - Vector512<float>.One),
            x);

    public static float Derivative(float x) => x > 0f ? 1f : MathF.Exp(x);
    public static Vector128<float> Derivative(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, Vector128.Exp(x));
    public static Vector256<float> Derivative(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.Exp(x));
    public static Vector512<float> Derivative(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512.Exp(x));

    // x + x²/2! + … + x⁷/7!, in Horner form.
    private static float ExpM1Series(float x) =>
        x * (1f + x * (1f / 2 + x * (1f / 6 + x * (1f / 24 + x * (1f / 120 + x * (1f / 720 + x * (1f / 5040)))))));
    private static Vector128<float> ExpM1Series(Vector128<float> x) =>
        x * (Vector128<float>.One + x * (Vector128.Create(1f / 2) + x * (Vector128.Create(1f / 6) + x * (Vector128.Create(1f / 24) + x * (Vector128.Create(1f / 120) + x * (Vector128.Create(1f / 720) + x * Vector128.Create(1f / 5040)))))));
    private static Vector256<float> ExpM1Series(Vector256<float> x) =>
        x * (Vector256<float>.One + x * (Vector256.Create(1f / 2) + x * (Vector256.Create(1f / 6) + x * (Vector256.Create(1f / 24) + x * (Vector256.Create(1f / 120) + x * (Vector256.Create(1f / 720) + x * Vector256.Create(1f / 5040)))))));
    private static Vector512<float> ExpM1Series(Vector512<float> x) =>
        x * (Vector512<float>.One + x * (Vector512.Create(1f / 2) + x * (Vector512.Create(1f / 6) + x * (Vector512.Create(1f / 24) + x * (Vector512.Create(1f / 120) + x * (Vector512.Create(1f / 720) + x * Vector512.Create(1f / 5040)))))));
}
