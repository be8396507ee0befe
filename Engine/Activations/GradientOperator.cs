using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>dx = dy · f'(x), with f' read from the forward value (x or y) in <c>a</c> and dy in <c>b</c>.</summary>
internal readonly struct GradientOperator<TActivation> : IBinaryOperator
    where TActivation : struct, IActivationOperator
{
    public float Invoke(float forward, float dy) => dy * default(TActivation).Derivative(forward);
    public Vector128<float> Invoke(Vector128<float> forward, Vector128<float> dy) => dy * default(TActivation).Derivative(forward);
    public Vector256<float> Invoke(Vector256<float> forward, Vector256<float> dy) => dy * default(TActivation).Derivative(forward);
    public Vector512<float> Invoke(Vector512<float> forward, Vector512<float> dy) => dy * default(TActivation).Derivative(forward);
}
