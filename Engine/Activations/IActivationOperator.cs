using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// One activation function as an operator: its forward value and its derivative, each at every vector
/// width, plus the facts that describe it. <see cref="ActivationKernel"/> owns looping, remainders and
/// stores, so an activation is only this small struct.
/// </summary>
internal interface IActivationOperator
{
    static abstract string Id { get; }
    static abstract string Name { get; }
    static abstract string Formula { get; }
    static abstract string DerivativeFormula { get; }

    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);

    /// <summary>f'(x), from the forward input x.</summary>
    static abstract float Derivative(float x);
    static abstract Vector128<float> Derivative(Vector128<float> x);
    static abstract Vector256<float> Derivative(Vector256<float> x);
    static abstract Vector512<float> Derivative(Vector512<float> x);
}
