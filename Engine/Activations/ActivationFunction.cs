namespace Engine.Activations;

/// <summary>
/// An activation function the engine offers: its stable id, its formula and derivative, a scalar
/// reference, and vectorised kernels over spans.
/// </summary>
public abstract class ActivationFunction
{
    private protected ActivationFunction()
    {
    }

    /// <summary>The stable id used in model names, ONNX metadata and the HTTP API, e.g. <c>relu_softsign</c>.</summary>
    public abstract string Id { get; }

    /// <summary>The function's name, in words.</summary>
    public abstract string Name { get; }

    /// <summary>f(x), as text.</summary>
    public abstract string Formula { get; }

    /// <summary>f'(x), as text, with the value chosen at x = 0.</summary>
    public abstract string DerivativeFormula { get; }

    /// <summary>The scalar reference f(x): the value the kernels must reproduce.</summary>
    public abstract float Invoke(float x);

    /// <summary>The scalar reference f'(x).</summary>
    public abstract float Derivative(float x);

    /// <summary>y = f(x) element by element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/> or partially overlaps it.</exception>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => Forward(x, y, VectorWidth.Best);

    /// <summary>dx = dy · f'(x) element by element; <paramref name="dx"/> may be <paramref name="dy"/> itself.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ or <paramref name="dx"/> partially overlaps an input.</exception>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) => Backward(x, dy, dx, VectorWidth.Best);

    /// <summary>
    /// Perturbs pre-activations in place the way the function behaves while training; the identity for all
    /// but stochastic activations. The backward pass then takes the perturbed values as its input.
    /// </summary>
    public virtual void ApplyTrainingNoise(Span<float> preActivation, Random random)
    {
    }

    internal abstract void Forward(ReadOnlySpan<float> x, Span<float> y, VectorWidth width);

    internal abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, VectorWidth width);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>An activation whose kernels are those of one operator struct.</summary>
internal class ActivationFunction<TOperator> : ActivationFunction
    where TOperator : struct, IActivationOperator
{
    public override string Id => TOperator.Id;

    public override string Name => TOperator.Name;

    public override string Formula => TOperator.Formula;

    public override string DerivativeFormula => TOperator.DerivativeFormula;

    public override float Invoke(float x) => TOperator.Invoke(x);

    public override float Derivative(float x) => TOperator.Derivative(x);

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, VectorWidth width) =>
        ActivationKernel.Forward<TOperator>(x, y, width);

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, VectorWidth width) =>
        ActivationKernel.Backward<TOperator>(x, dy, dx, width);
}
