using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>f(x) = x / (1 + |x|). ±∞ give ±1, the limits, rather than ∞/∞ = NaN; NaN propagates.</summary>
internal readonly struct SoftsignOperator : IActivationOperator
{
    public static string Id => "softsign";
    public static string Name => "Softsign";
    public static string Formula => "f(x) = x / (1 + |x|)";
    public static string DerivativeFormula => "f'(x) = 1 / (1 + |x|)²";

    public static float Invoke(float x) => float.IsInfinity(x) ? float.CopySign(1f, x) : x / (1f + float.Abs(x));
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> magnitude = Vector128.Abs(x);
        return Vector128.ConditionalSelect(Vector128.Equals(magnitude, Vector128.Create(float.PositiveInfinity)), Vector128.CopySign(Vector128<float>.One, x), x / (Vector128<float>.One + magnitude));
    }
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> magnitude = Vector256.Abs(x);
        return Vector256.ConditionalSelect(Vector256.Equals(magnitude, Vector256.Create(float.PositiveInfinity)), Vector256.CopySign(Vector256<float>.One, x), x / (Vector256<float>.One + magnitude));
    }
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> magnitude = Vector512.Abs(x);
        return Vector512.ConditionalSelect(Vector512.Equals(magnitude, Vector512.Create(float.PositiveInfinity)), Vector512.CopySign(Vector512<float>.One, x), x / (Vector512<float>.One + magnitude));
    }

    public static float Derivative(float x)
    {
        float denominator = 1f + float.Abs(x);
        return 1f / (denominator * denominator);
    }
    public static Vector128<float> Derivative(Vector128<float> x)
    {
        Vector128<float> denominator = Vector128<float>.One + Vector128.Abs(x);
        return Vector128<float>.One / (denominator * denominator);
    }
    public static Vector256<float> Derivative(Vector256<float> x)
    {
        Vector256<float> denominator = Vector256<float>.One + Vector256.Abs(x);
        return Vector256<float>.One / (denominator * denominator);
    }
    public static Vector512<float> Derivative(Vector512<float> x)
    {
        Vector512<float> denominator = Vector512<float>.One + Vector512.Abs(x);
        return Vector512<float>.One / (denominator * denominator);
    }
}
