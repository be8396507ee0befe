using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// SiLU (swish), a modern reference: f(x) = x·σ(x) = x / (1 + e⁻ˣ). −∞ gives 0 (the limit); NaN propagates.
/// The gradient is read from the input.
/// </summary>
internal readonly struct SiluOperator : IActivationOperator
{
    // Beyond ±100 the derivative is 0 or 1 to float precision; clamping there keeps ∞·0 out of it.
    private const float DerivativeLimit = 100f;

    public static string Id => "silu";
    public static string Name => "SiLU (swish)";
    public static string Formula => "f(x) = x·σ(x) = x / (1 + e⁻ˣ)";
    public static string DerivativeFormula => "f'(x) = σ(x)·(1 + x·(1 − σ(x)))";
    public static GradientSource GradientSource => GradientSource.Input;
    public static string Colour => "#7f7f7f";
    public static ActivationRole Role => ActivationRole.Studied;

    // x·Sigmoid(x): opset 17 has no SiLU of its own.
    public static OnnxActivationForm Onnx { get; } = new(
        new OnnxActivationNode("Sigmoid", "gate", X),
        new OnnxActivationNode("Mul", "y", X, Value("gate")));

    public float Invoke(float x) => x == float.NegativeInfinity ? 0f : x / (1f + VectorMath.Exp(-x));
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128<float>.Zero, x / (Vector128<float>.One + VectorMath.Exp(-x)));
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256<float>.Zero, x / (Vector256<float>.One + VectorMath.Exp(-x)));
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, x / (Vector512<float>.One + VectorMath.Exp(-x)));

    public float Derivative(float x)
    {
        x = Math.Clamp(x, -DerivativeLimit, DerivativeLimit);
        float s = 1f / (1f + VectorMath.Exp(-x));
        return s * (1f + x * (1f - s));
    }
    public Vector128<float> Derivative(Vector128<float> x)
    {
        x = Vector128.Clamp(x, Vector128.Create(-DerivativeLimit), Vector128.Create(DerivativeLimit));
        Vector128<float> s = Vector128<float>.One / (Vector128<float>.One + VectorMath.Exp(-x));
        return s * (Vector128<float>.One + x * (Vector128<float>.One - s));
    }
    public Vector256<float> Derivative(Vector256<float> x)
    {
        x = Vector256.Clamp(x, Vector256.Create(-DerivativeLimit), Vector256.Create(DerivativeLimit));
        Vector256<float> s = Vector256<float>.One / (Vector256<float>.One + VectorMath.Exp(-x));
        return s * (Vector256<float>.One + x * (Vector256<float>.One - s));
    }
    public Vector512<float> Derivative(Vector512<float> x)
    {
        x = Vector512.Clamp(x, Vector512.Create(-DerivativeLimit), Vector512.Create(DerivativeLimit));
        Vector512<float> s = Vector512<float>.One / (Vector512<float>.One + VectorMath.Exp(-x));
        return s * (Vector512<float>.One + x * (Vector512<float>.One - s));
    }
}
