using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// SELU (Klambauer et al., 2017): f(x) = λx for x ≥ 0, λα(eˣ − 1) below, with λ ≈ 1.0507 and α ≈ 1.6733, the
/// constants under which a layer's outputs tend to zero mean and unit variance. −∞ gives −λα; NaN propagates.
/// The gradient is read from the output, as ELU's: f'(x) = λαeˣ = y + λα for x ≤ 0, λ above.
/// </summary>
/// <remarks>
/// λα(eˣ − 1) is (λα)·expm1(x), with λα rounded to float once and eˣ − 1 from <see cref="VectorMath.ExpM1(float)"/>
/// as in ELU (no cancellation near 0); the scalar form runs the same steps, so every width gives the same bits.
/// λ and α are the floats nearest the paper's constants, which are also ONNX Selu's default gamma and alpha.
/// </remarks>
internal readonly struct SeluOperator : IActivationOperator
{
    /// <summary>λ = 1.0507009873554804934…, to float.</summary>
    public const float Lambda = 1.05070102f;

    /// <summary>α = 1.6732632423543772848…, to float.</summary>
    public const float Alpha = 1.67326319f;

    // λα = 1.7580993408473766…, to float.
    private const float LambdaAlpha = 1.7580993f;

    public static string Id => "selu";
    public static string Name => "SELU";
    public static string Formula => "f(x) = λ·x for x ≥ 0, λ·α·(eˣ − 1) for x < 0, λ ≈ 1.0507, α ≈ 1.6733";
    public static string DerivativeFormula => "f'(x) = λ for x > 0, λ·α·eˣ = f(x) + λ·α for x ≤ 0";
    public static GradientSource GradientSource => GradientSource.Output;
    public static string Colour => "#17becf";
    public static ActivationRole Role => ActivationRole.Studied;

    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("Selu", "y", X)
    {
        Attributes = [new("alpha", Alpha, OperatorDefault: 1.67326319217681884765625f), new("gamma", Lambda, OperatorDefault: 1.05070102214813232421875f)],
    });

    public float Invoke(float x) => x < 0f ? LambdaAlpha * VectorMath.ExpM1(x) : Lambda * x;
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128.Create(LambdaAlpha) * VectorMath.ExpM1(x), Vector128.Create(Lambda) * x);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(LambdaAlpha) * VectorMath.ExpM1(x), Vector256.Create(Lambda) * x);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(LambdaAlpha) * VectorMath.ExpM1(x), Vector512.Create(Lambda) * x);

    public float Derivative(float y) => y > 0f ? Lambda : y + LambdaAlpha;
    public Vector128<float> Derivative(Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), Vector128.Create(Lambda), y + Vector128.Create(LambdaAlpha));
    public Vector256<float> Derivative(Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256.Create(Lambda), y + Vector256.Create(LambdaAlpha));
    public Vector512<float> Derivative(Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512.Create(Lambda), y + Vector512.Create(LambdaAlpha));
}
