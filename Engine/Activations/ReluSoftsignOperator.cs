using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// The article's improved ReLU: f(x) = x for x ≥ 0, x / (1 + |x|) = x / (1 − x) below. Negative inputs keep
/// a gradient of 1 / (1 − x)², so units cannot die the way ReLU units do. −∞ gives −1; NaN propagates.
/// The gradient is read from the output: for x &lt; 0, 1 + y = 1 / (1 − x), so f'(x) = (1 + y)².
/// </summary>
internal readonly struct ReluSoftsignOperator : IActivationOperator
{
    public static string Id => "relu_softsign";
    public static string Name => "ReLU–Softsign";
    public static string Formula => "f(x) = x for x ≥ 0, x / (1 + |x|) for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x ≥ 0, 1 / (1 + |x|)² = (1 + f(x))² for x < 0";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#8c564b";
    public static ActivationRole Role => ActivationRole.Served;

    // Opset 17 has no such operator: Relu(x) + Softsign(Min(x, 0)). Each branch adds an exact zero on the other
    // side (Relu of a negative, Softsign(0)), so the sum is bit-identical to the piecewise definition.
    public static OnnxActivationForm Onnx { get; } = new(
        new OnnxActivationNode("Relu", "positive", X),
        new OnnxActivationNode("Min", "clamped", X, Constant("zero", 0f)),
        new OnnxActivationNode("Softsign", "negative", Value("clamped")),
        new OnnxActivationNode("Add", "y", Value("positive"), Value("negative")));

    public float Invoke(float x) => x < 0f ? default(SoftsignOperator).Invoke(x) : x;
    public Vector128<float> Invoke(Vector128<float> x)
    {
        // Where x < 0, 1 + |x| = 1 − x; clamping at float.MinValue turns −∞ into a quotient that rounds to −1.
        Vector128<float> finite = Vector128.MaxNative(Vector128.Create(float.MinValue), x);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), finite / (Vector128<float>.One - finite), x);
    }
    public Vector256<float> Invoke(Vector256<float> x)
    {
        // Where x < 0, 1 + |x| = 1 − x; clamping at float.MinValue turns −∞ into a quotient that rounds to −1.
        Vector256<float> finite = Vector256.MaxNative(Vector256.Create(float.MinValue), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), finite / (Vector256<float>.One - finite), x);
    }
    public Vector512<float> Invoke(Vector512<float> x)
    {
        // Where x < 0, 1 + |x| = 1 − x; clamping at float.MinValue turns −∞ into a quotient that rounds to −1.
        Vector512<float> finite = Vector512.MaxNative(Vector512.Create(float.MinValue), x);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), finite / (Vector512<float>.One - finite), x);
    }

    public float Derivative(float y) => y < 0f ? (1f + y) * (1f + y) : 1f;
    public Vector128<float> Derivative(Vector128<float> y)
    {
        Vector128<float> shifted = Vector128<float>.One + y;
        return Vector128.ConditionalSelect(Vector128.LessThan(y, Vector128<float>.Zero), shifted * shifted, Vector128<float>.One);
    }
    public Vector256<float> Derivative(Vector256<float> y)
    {
        Vector256<float> shifted = Vector256<float>.One + y;
        return Vector256.ConditionalSelect(Vector256.LessThan(y, Vector256<float>.Zero), shifted * shifted, Vector256<float>.One);
    }
    public Vector512<float> Derivative(Vector512<float> y)
    {
        Vector512<float> shifted = Vector512<float>.One + y;
        return Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512<float>.Zero), shifted * shifted, Vector512<float>.One);
    }
}
