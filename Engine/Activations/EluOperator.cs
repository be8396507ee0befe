using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, α(eˣ − 1) below, with α = 1. −∞ gives −1; NaN propagates. The gradient is read from
/// the output: f'(x) = eˣ = y + 1 for x ≤ 0, so the backward pass needs no exponential.
/// </summary>
/// <remarks>
/// eˣ − 1 comes from <see cref="VectorMath.ExpM1(float)"/>, which has no cancellation near 0 (computing eˣ
/// and subtracting 1 is off by 0.1 % at x = −1e−4) and stays in single precision. The scalar form runs the
/// same steps, so every width gives the same bits.
/// </remarks>
internal readonly struct EluOperator : IActivationOperator
{
    /// <summary>α, which the kernels below are written for (f(x) = eˣ − 1 below 0, f' = y + 1).</summary>
    public const float Alpha = 1f;

    public static string Id => "elu";
    public static string Name => "ELU (α = 1)";
    public static string Formula => "f(x) = x for x ≥ 0, eˣ − 1 for x < 0";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, eˣ = f(x) + 1 for x ≤ 0 (so f'(0) = α·e⁰ = 1)";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#2ca02c";
    public static ActivationRole Role => ActivationRole.Served;

    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("Elu", "y", X) { Attributes = [new("alpha", Alpha, OperatorDefault: 1f)] });

    public float Invoke(float x) => x < 0f ? VectorMath.ExpM1(x) : x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), VectorMath.ExpM1(x), x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), VectorMath.ExpM1(x), x);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), VectorMath.ExpM1(x), x);

    public float Derivative(float y) => y > 0f ? 1f : y + 1f;
    public Vector128<float> Derivative(Vector128<float> y) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), Vector128<float>.One, y + Vector128<float>.One);
    public Vector256<float> Derivative(Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256<float>.One, y + Vector256<float>.One);
    public Vector512<float> Derivative(Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512<float>.One, y + Vector512<float>.One);
}
