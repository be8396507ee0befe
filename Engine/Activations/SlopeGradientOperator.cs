using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>dy · ∂f/∂a, with x in <c>a</c> of the driver and dy in <c>b</c>: each value's share of its unit's slope gradient.</summary>
internal readonly struct SlopeGradientOperator<TActivation> : IBinaryOperator
    where TActivation : struct, ILearnedSlopeOperator
{
    public float Invoke(float x, float dy) => dy * default(TActivation).SlopeDerivative(x);
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => dy * default(TActivation).SlopeDerivative(x);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy * default(TActivation).SlopeDerivative(x);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy * default(TActivation).SlopeDerivative(x);
}
