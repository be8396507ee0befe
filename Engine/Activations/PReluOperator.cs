using System.Runtime.Intrinsics;
using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Activations;

/// <summary>
/// PReLU (He et al., 2015): f(x) = x for x ≥ 0, a·x below, with a slope a learned for each unit (a feature map or
/// a neuron) that starts at 0.25 and is trained by the optimiser like a bias, without weight decay. The plain
/// kernels apply the initial slope; a network's layer applies each unit's own. NaN propagates and −0 gives −0.
/// </summary>
/// <remarks>
/// A learned slope may turn negative, and then y's sign no longer tells x's: the gradient is read from the input,
/// f'(x) = 1 for x &gt; 0, a for x ≤ 0, and the slope's own gradient is ∂f/∂a = x for x &lt; 0, 0 otherwise. The
/// product a·x is the only rounding, so every width gives the same bits.
/// </remarks>
internal readonly struct PReluOperator : ILearnedSlopeOperator
{
    private const float Initial = 0.25f;

    public static string Id => "prelu";
    public static string Name => "PReLU (learned slope, initially 0.25)";
    public static string Formula => "f(x) = x for x ≥ 0, a·x for x < 0, a learned per unit (initially 0.25)";
    public static string DerivativeFormula => "f'(x) = 1 for x > 0, a for x ≤ 0; ∂f/∂a = x for x < 0, 0 otherwise";
    public static GradientSource GradientSource => GradientSource.Input;
    public static string Colour => "#bcbd22";
    public static ActivationRole Role => ActivationRole.Studied;
    public static float InitialSlope => Initial;

    public static OnnxActivationForm Onnx { get; } = new(new OnnxActivationNode("PRelu", "y", X, LearnedSlope));

    public float Invoke(float x) => Invoke(x, Initial);
    public Vector128<float> Invoke(Vector128<float> x) => Invoke(x, Vector128.Create(Initial));
    public Vector256<float> Invoke(Vector256<float> x) => Invoke(x, Vector256.Create(Initial));
    public Vector512<float> Invoke(Vector512<float> x) => Invoke(x, Vector512.Create(Initial));

    public float Invoke(float x, float slope) => x < 0f ? slope * x : x;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> slope) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), slope * x, x);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> slope) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), slope * x, x);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> slope) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), slope * x, x);

    public float Derivative(float x) => Derivative(x, Initial);
    public Vector128<float> Derivative(Vector128<float> x) => Derivative(x, Vector128.Create(Initial));
    public Vector256<float> Derivative(Vector256<float> x) => Derivative(x, Vector256.Create(Initial));
    public Vector512<float> Derivative(Vector512<float> x) => Derivative(x, Vector512.Create(Initial));

    public float Derivative(float x, float slope) => x > 0f ? 1f : slope;
    public Vector128<float> Derivative(Vector128<float> x, Vector128<float> slope) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, slope);
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> slope) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, slope);
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> slope) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, slope);

    public float SlopeDerivative(float x) => x < 0f ? x : 0f;
    public Vector128<float> SlopeDerivative(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), x, Vector128<float>.Zero);
    public Vector256<float> SlopeDerivative(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x, Vector256<float>.Zero);
    public Vector512<float> SlopeDerivative(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero);
}
