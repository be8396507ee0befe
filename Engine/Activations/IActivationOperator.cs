using System.Runtime.Intrinsics;
using Engine.Onnx;

namespace Engine.Activations;

/// <summary>
/// One activation function, all in one place: its value (the <see cref="IUnaryOperator"/> part), its derivative
/// at every vector width, the facts that describe it, the colour plots draw it in, whether models of it ship,
/// and how it is written in an ONNX graph. <see cref="ActivationKernel"/> owns looping, remainders, alignment and
/// stores, so an activation is only this small struct and its line in <see cref="ActivationFunctions.All"/>.
/// </summary>
internal interface IActivationOperator : IUnaryOperator
{
    static abstract string Id { get; }
    static abstract string Name { get; }
    static abstract string Formula { get; }
    static abstract string DerivativeFormula { get; }

    /// <summary>The colour reports and plots draw the activation in, as <c>#rrggbb</c>.</summary>
    static abstract string Colour { get; }

    /// <summary>Whether trained models of the activation ship with the service.</summary>
    static abstract ActivationRole Role { get; }

    /// <summary>The standard ONNX operators that compute the activation in an exported graph.</summary>
    static abstract OnnxActivationForm Onnx { get; }

    /// <summary>Whether <see cref="Derivative(float)"/> takes the forward pass's input x or its output y.</summary>
    static abstract GradientSource GradientSource { get; }

    /// <summary>f'(x), computed from x or from y = f(x) as <see cref="GradientSource"/> says.</summary>
    float Derivative(float forward);
    Vector128<float> Derivative(Vector128<float> forward);
    Vector256<float> Derivative(Vector256<float> forward);
    Vector512<float> Derivative(Vector512<float> forward);
}
