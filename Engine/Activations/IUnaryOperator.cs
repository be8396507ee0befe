using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>y = f(x) at every vector width. Implemented by small structs, so the JIT inlines them into the driver.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector128<float> Invoke(Vector128<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}
