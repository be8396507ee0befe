using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, αx below, with α = 0.1 (the article's value). NaN propagates. Since 0 &lt; α &lt; 1,
/// f(x) = max(αx, x), which the vector forms compute with the hardware's max, x as the second operand so NaN
/// and −0 pass through. The gradient is read from the output: α &gt; 0, so y &gt; 0 exactly where x &gt; 0.
/// </summary>
internal readonly struct LeakyReluOperator : IActivationOperator
{
    public const float Alpha = 0.1f;

    public static string Id => "leaky_relu";
    public static string Name => "Leaky ReLU (α = 0.1)";
    public static string Formula => "f(x) = x for x ≥ 0, 0.1·x for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, 0.1 for x ≤ 0";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#ff7f0e";
    public static ActivationRole Role => ActivationRole.Served;

    // 0.01 is the operator's default: a graph that leaves alpha out has another slope than the kernel.
    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("LeakyRelu", "y", X) { Attributes = [new("alpha", Alpha, OperatorDefault: 0.01f)] });

    public float Invoke(float x) => x < 0f ? x * Alpha : x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.MaxNative(x * Alpha, x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.MaxNative(x * Alpha, x);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.MaxNative(x * Alpha, x);

    public float Derivative(float y) => y > 0f ? 1f : Alpha;
    public Vector128<float> Derivative(Vector128<float> y) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), Vector128<float>.One, Vector128.Create(Alpha));
    public Vector256<float> Derivative(Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(Alpha));
    public Vector512<float> Derivative(Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(Alpha));
}
