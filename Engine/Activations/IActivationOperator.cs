using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// One activation function: its value (the <see cref="IUnaryOperator"/> part), its derivative at every
/// vector width, and the facts that describe it. <see cref="ActivationKernel"/> owns looping, remainders,
/// alignment and stores, so an activation is only this small struct.
/// </summary>
internal interface IActivationOperator : IUnaryOperator
{
    static abstract string Id { get; }
    static abstract string Name { get; }
    static abstract string Formula { get; }
    static abstract string DerivativeFormula { get; }

    /// <summary>Whether <see cref="Derivative(float)"/> takes the forward pass's input x or its output y.</summary>
    static abstract GradientSource GradientSource { get; }

    /// <summary>f'(x), computed from x or from y = f(x) as <see cref="GradientSource"/> says.</summary>
    float Derivative(float forward);
    Vector128<float> Derivative(Vector128<float> forward);
    Vector256<float> Derivative(Vector256<float> forward);
    Vector512<float> Derivative(Vector512<float> forward);
}
