using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// f(x) = max(0, x). NaN propagates and ReLU(−0) = −0: only values that compare below zero are zeroed, so
/// the result is exactly the input or +0 and every width agrees bit for bit. That is the hardware's own max
/// with zero as the first operand (x86's maxps returns the second operand unless the first is greater, so
/// NaN and −0 pass through): one instruction a vector.
/// The gradient is read from the output: y &gt; 0 exactly where x &gt; 0.
/// </summary>
internal readonly struct ReluOperator : IActivationOperator
{
    public static string Id => "relu";
    public static string Name => "ReLU";
    public static string Formula => "f(x) = max(0, x)";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, 0 for x ≤ 0";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#1f77b4";
    public static ActivationRole Role => ActivationRole.Served;

    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("Relu", "y", X));

    public float Invoke(float x) => x < 0f ? 0f : x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.MaxNative(Vector128<float>.Zero, x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.MaxNative(Vector256<float>.Zero, x);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.MaxNative(Vector512<float>.Zero, x);

    public float Derivative(float y) => y > 0f ? 1f : 0f;
    public Vector128<float> Derivative(Vector128<float> y) => Vector128.GreaterThan(y, Vector128<float>.Zero) & Vector128<float>.One;
    public Vector256<float> Derivative(Vector256<float> y) => Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256<float>.One;
    public Vector512<float> Derivative(Vector512<float> y) => Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512<float>.One;
}
