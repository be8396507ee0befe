using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>y = f(x; a), with x in <c>a</c> of the driver and each value's unit slope, tiled alongside, in <c>b</c>.</summary>
internal readonly struct SlopedOperator<TActivation> : IBinaryOperator
    where TActivation : struct, ILearnedSlopeOperator
{
    public float Invoke(float x, float slope) => default(TActivation).Invoke(x, slope);
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> slope) => default(TActivation).Invoke(x, slope);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> slope) => default(TActivation).Invoke(x, slope);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> slope) => default(TActivation).Invoke(x, slope);
}
