using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>y = f(x + bias): a layer's bias add fused into its activation, so the block is walked once.</summary>
internal readonly struct BiasedOperator<TActivation>(float bias) : IUnaryOperator
    where TActivation : struct, IActivationOperator
{
    public float Invoke(float x) => default(TActivation).Invoke(x + bias);
    public Vector128<float> Invoke(Vector128<float> x) => default(TActivation).Invoke(x + Vector128.Create(bias));
    public Vector256<float> Invoke(Vector256<float> x) => default(TActivation).Invoke(x + Vector256.Create(bias));
    public Vector512<float> Invoke(Vector512<float> x) => default(TActivation).Invoke(x + Vector512.Create(bias));
}
