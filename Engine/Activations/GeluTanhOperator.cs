using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// GELU in its tanh approximation (Hendrycks &amp; Gimpel), a modern reference:
/// f(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Since ½(1 + tanh(u)) = σ(2u), the kernel computes
/// x / (1 + e^(−2u)): one exponential and one division. −∞ gives 0 (the limit); NaN propagates. The gradient
/// is read from the input.
/// </summary>
internal readonly struct GeluTanhOperator : IActivationOperator
{
    // −2u = x·(K0 + K1·x²) with K0 = −2√(2/π) and K1 = −2√(2/π)·0.044715.
    private const float K0 = -1.5957691216057308f;
    private const float K1 = -0.07135481627159867f;

    // Beyond ±20 the derivative is 0 or 1 to float precision; clamping there keeps ∞·0 out of it.
    private const float DerivativeLimit = 20f;

    public static string Id => "gelu_tanh";
    public static string Name => "GELU (tanh approximation)";
    public static string Formula => "f(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))";
    public static string DerivativeFormula => "f'(x) = s + x·s·(1 − s)·2√(2/π)·(1 + 3·0.044715·x²), s = σ(2√(2/π)·(x + 0.044715·x³))";
    public static GradientSource GradientSource => GradientSource.Input;
    public static string Colour => "#e377c2";
    public static ActivationRole Role => ActivationRole.Studied;

    // Gelu joined the standard operators in opset 20 (ONNX Runtime refuses it in an opset 17 model), so the tanh form
    // is spelt out in basic operators, as exporters write it for older opsets: ½·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³))).
    public static OnnxActivationForm Onnx { get; } = new(
        new OnnxActivationNode("Mul", "square", X, X),
        new OnnxActivationNode("Mul", "cube", Value("square"), X),
        new OnnxActivationNode("Mul", "cubic", Value("cube"), Constant("cubic_coefficient", 0.044715f)),
        new OnnxActivationNode("Add", "inner", X, Value("cubic")),
        new OnnxActivationNode("Mul", "scaled", Value("inner"), Constant("scale", 0.7978846f)),
        new OnnxActivationNode("Tanh", "tanh", Value("scaled")),
        new OnnxActivationNode("Add", "shifted", Value("tanh"), Constant("one", 1f)),
        new OnnxActivationNode("Mul", "product", X, Value("shifted")),
        new OnnxActivationNode("Mul", "y", Value("product"), Constant("half", 0.5f)));

    public float Invoke(float x) => x == float.NegativeInfinity ? 0f : x / (1f + VectorMath.Exp(x * (K0 + K1 * x * x)));
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> y = x / (Vector128<float>.One + VectorMath.Exp(x * (Vector128.Create(K0) + Vector128.Create(K1) * x * x)));
        return Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128<float>.Zero, y);
    }
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> y = x / (Vector256<float>.One + VectorMath.Exp(x * (Vector256.Create(K0) + Vector256.Create(K1) * x * x)));
        return Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256<float>.Zero, y);
    }
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> y = x / (Vector512<float>.One + VectorMath.Exp(x * (Vector512.Create(K0) + Vector512.Create(K1) * x * x)));
        return Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, y);
    }

    public float Derivative(float x)
    {
        x = Math.Clamp(x, -DerivativeLimit, DerivativeLimit);
        float square = x * x;
        float s = 1f / (1f + VectorMath.Exp(x * (K0 + K1 * square)));
        return s - x * s * (1f - s) * (K0 + 3 * K1 * square);
    }
    public Vector128<float> Derivative(Vector128<float> x)
    {
        x = Vector128.Clamp(x, Vector128.Create(-DerivativeLimit), Vector128.Create(DerivativeLimit));
        Vector128<float> square = x * x;
        Vector128<float> s = Vector128<float>.One / (Vector128<float>.One + VectorMath.Exp(x * (Vector128.Create(K0) + Vector128.Create(K1) * square)));
        return s - x * s * (Vector128<float>.One - s) * (Vector128.Create(K0) + Vector128.Create(3 * K1) * square);
    }
    public Vector256<float> Derivative(Vector256<float> x)
    {
        x = Vector256.Clamp(x, Vector256.Create(-DerivativeLimit), Vector256.Create(DerivativeLimit));
        Vector256<float> square = x * x;
        Vector256<float> s = Vector256<float>.One / (Vector256<float>.One + VectorMath.Exp(x * (Vector256.Create(K0) + Vector256.Create(K1) * square)));
        return s - x * s * (Vector256<float>.One - s) * (Vector256.Create(K0) + Vector256.Create(3 * K1) * square);
    }
    public Vector512<float> Derivative(Vector512<float> x)
    {
        x = Vector512.Clamp(x, Vector512.Create(-DerivativeLimit), Vector512.Create(DerivativeLimit));
        Vector512<float> square = x * x;
        Vector512<float> s = Vector512<float>.One / (Vector512<float>.One + VectorMath.Exp(x * (Vector512.Create(K0) + Vector512.Create(K1) * square)));
        return s - x * s * (Vector512<float>.One - s) * (Vector512.Create(K0) + Vector512.Create(3 * K1) * square);
    }
}
