using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// The article's improved ReLU: f(x) = x for x ≥ 0, x / (1 + |x|) = x / (1 − x) below. Negative inputs keep
/// a gradient of 1 / (1 − x)², so units cannot die the way ReLU units do. −∞ gives −1; NaN propagates.
/// </summary>
internal readonly struct ReluSoftsignOperator : IActivationOperator
{
    public static string Id => "relu_softsign";
    public static string Name => "ReLU–Softsign";
    public static string Formula => "f(x) = x for x ≥ 0, x / (1 + |x|) for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x ≥ 0, 1 / (1 + |x|)² for x < 0";

    public static float Invoke(float x) => x < 0f ? SoftsignOperator.Invoke(x) : x;
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), SoftsignOperator.Invoke(x), x);
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), SoftsignOperator.Invoke(x), x);
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), SoftsignOperator.Invoke(x), x);

    public static float Derivative(float x) => x < 0f ? SoftsignOperator.Derivative(x) : 1f;
    public static Vector128<float> Derivative(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), SoftsignOperator.Derivative(x), Vector128<float>.One);
    public static Vector256<float> Derivative(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), SoftsignOperator.Derivative(x), Vector256<float>.One);
    public static Vector512<float> Derivative(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), SoftsignOperator.Derivative(x), Vector512<float>.One);
}
