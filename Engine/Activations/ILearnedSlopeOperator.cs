using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// An activation with a slope a learned for each unit, f(x; a), such as PReLU. Its <see cref="IActivationOperator"/>
/// part is f at <see cref="InitialSlope"/>, which is what the plain kernels compute; a network's layer passes each
/// unit's learned slope to the forms below.
/// </summary>
internal interface ILearnedSlopeOperator : IActivationOperator
{
    /// <summary>The value every unit's slope starts at.</summary>
    static abstract float InitialSlope { get; }

    /// <summary>f(x; a).</summary>
    float Invoke(float x, float slope);
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> slope);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> slope);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> slope);

    /// <summary>∂f/∂x at (x; a), from the input x.</summary>
    float Derivative(float x, float slope);
    Vector128<float> Derivative(Vector128<float> x, Vector128<float> slope);
    Vector256<float> Derivative(Vector256<float> x, Vector256<float> slope);
    Vector512<float> Derivative(Vector512<float> x, Vector512<float> slope);

    /// <summary>∂f/∂a at x, which for a slope does not depend on a.</summary>
    float SlopeDerivative(float x);
    Vector128<float> SlopeDerivative(Vector128<float> x);
    Vector256<float> SlopeDerivative(Vector256<float> x);
    Vector512<float> SlopeDerivative(Vector512<float> x);
}
