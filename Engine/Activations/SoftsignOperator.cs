using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// f(x) = x / (1 + |x|). ±∞ give ±1, the limits, rather than ∞/∞ = NaN; NaN propagates. The vector forms
/// first clamp x to ±float.MaxValue (which changes no finite value and turns ±∞ into a quotient that rounds
/// to ±1) with the hardware's min and max, x as the second operand so NaN passes through. The gradient is
/// read from the output: 1 − |y| = 1 / (1 + |x|), so f'(x) = (1 − |y|)², with no division.
/// </summary>
internal readonly struct SoftsignOperator : IActivationOperator
{
    public static string Id => "softsign";
    public static string Name => "Softsign";
    public static string Formula => "f(x) = x / (1 + |x|)";
    public static string DerivativeFormula => "f'(x) = 1 / (1 + |x|)² = (1 − |f(x)|)²";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#9467bd";
    public static ActivationRole Role => ActivationRole.Served;

    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("Softsign", "y", X));

    public float Invoke(float x) => float.IsInfinity(x) ? float.CopySign(1f, x) : x / (1f + float.Abs(x));
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> finite = Vector128.MinNative(Vector128.Create(float.MaxValue), Vector128.MaxNative(Vector128.Create(float.MinValue), x));
        return finite / (Vector128<float>.One + Vector128.Abs(finite));
    }
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> finite = Vector256.MinNative(Vector256.Create(float.MaxValue), Vector256.MaxNative(Vector256.Create(float.MinValue), x));
        return finite / (Vector256<float>.One + Vector256.Abs(finite));
    }
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> finite = Vector512.MinNative(Vector512.Create(float.MaxValue), Vector512.MaxNative(Vector512.Create(float.MinValue), x));
        return finite / (Vector512<float>.One + Vector512.Abs(finite));
    }

    public float Derivative(float y)
    {
        float complement = 1f - float.Abs(y);
        return complement * complement;
    }
    public Vector128<float> Derivative(Vector128<float> y)
    {
        Vector128<float> complement = Vector128<float>.One - Vector128.Abs(y);
        return complement * complement;
    }
    public Vector256<float> Derivative(Vector256<float> y)
    {
        Vector256<float> complement = Vector256<float>.One - Vector256.Abs(y);
        return complement * complement;
    }
    public Vector512<float> Derivative(Vector512<float> y)
    {
        Vector512<float> complement = Vector512<float>.One - Vector512.Abs(y);
        return complement * complement;
    }
}
