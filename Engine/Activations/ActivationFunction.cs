using Engine.Numerics;
using Engine.Onnx;

namespace Engine.Activations;

/// <summary>
/// An activation function the engine offers: its stable id, its formula and derivative, a scalar
/// reference, vectorised kernels over spans (forward, backward, fused with a bias, and parallel), whether models
/// of it ship with the service, and the colour reports draw it in. Every one is in <see cref="ActivationFunctions.All"/>.
/// </summary>
/// <remarks>
/// Every kernel accepts its destination as a separate span or as the very same span as an input (in
/// place); a destination that partially overlaps an input is refused. The piecewise-linear activations give
/// bit-identical results at every vector width and in the scalar reference; those built on eˣ agree with it
/// within a few ULP.
/// </remarks>
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

    /// <summary>What <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> reads: the forward input or output.</summary>
    public abstract GradientSource GradientSource { get; }

    /// <summary>Whether trained models of the function ship with the service, or it is trained and compared in the study only.</summary>
    public abstract ActivationRole Role { get; }

    /// <summary>The colour reports and plots draw the function in, as <c>#rrggbb</c>.</summary>
    public abstract string Colour { get; }

    /// <summary>
    /// The value each unit's learned slope starts at, for a function with one (PReLU); null for the others. The
    /// kernels of this class apply the initial slope; a network's layer keeps and trains one slope per unit.
    /// </summary>
    public virtual float? InitialSlope => null;

    /// <summary>Whether the function has a slope learned for each unit (see <see cref="InitialSlope"/>).</summary>
    public bool HasLearnedSlope => InitialSlope is not null;

    /// <summary>The standard ONNX operators that compute the function in an exported graph.</summary>
    internal abstract OnnxActivationForm OnnxForm { get; }

    /// <summary>The scalar reference f(x).</summary>
    public abstract float Invoke(float x);

    /// <summary>The scalar reference f'(x), from the input x whatever <see cref="GradientSource"/> says.</summary>
    public abstract float Derivative(float x);

    /// <summary>y = f(x) element by element, on the calling thread.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/> or partially overlaps it.</exception>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => Forward(x, y, VectorWidth.Best);

    /// <summary>
    /// y = f(x) by the scalar reference, one element at a time: the plain loop the vector kernels are measured
    /// against. The same values as <see cref="Forward(ReadOnlySpan{float}, Span{float})"/>, within the precision
    /// the class remarks state.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/> or partially overlaps it.</exception>
    public void ForwardScalar(ReadOnlySpan<float> x, Span<float> y) => Forward(x, y, VectorWidth.Scalar);

    /// <summary>y = f(x), split across cores when there are enough elements for that to pay.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/> or partially overlaps it.</exception>
    public abstract void ForwardParallel(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>
    /// A layer's bias and activation in one pass over its output block: <paramref name="x"/> holds
    /// <c>bias.Length</c> channels of equal length one after another, and y = f(x + bias[channel]).
    /// <paramref name="y"/> may be <paramref name="x"/> itself.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not a whole number of channels, or <paramref name="y"/> is too short or partially overlaps it.</exception>
    public abstract void ForwardWithBias(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y);

    /// <summary>
    /// dx = dy · f'(x) element by element, on the calling thread. <paramref name="forward"/> is the forward
    /// pass's input x or its output y, as <see cref="GradientSource"/> says.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ or <paramref name="dx"/> partially overlaps an input.</exception>
    public void Backward(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx) => Backward(forward, dy, dx, VectorWidth.Best);

    /// <summary>The backward pass's spans must agree: the kernels check the rest, this names the arguments.</summary>
    private protected static void CheckBackward(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (dy.Length != forward.Length)
        {
            throw new ArgumentException($"The output gradient has {dy.Length} elements but the forward values have {forward.Length}.", nameof(dy));
        }
        if (dx.Length < forward.Length)
        {
            throw new ArgumentException($"The destination has {dx.Length} elements but needs {forward.Length}.", nameof(dx));
        }
        if ((forward.Overlaps(dx, out int forwardOffset) && forwardOffset != 0) || (dy.Overlaps(dx, out int gradientOffset) && gradientOffset != 0))
        {
            throw new ArgumentException("The destination partially overlaps an input; use the same span for in-place work or separate memory.", nameof(dx));
        }
    }

    /// <summary>The backward pass, split across cores when there are enough elements for that to pay.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ or <paramref name="dx"/> partially overlaps an input.</exception>
    public abstract void BackwardParallel(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>
    /// Perturbs pre-activations in place the way the function behaves while training; the identity for all
    /// but stochastic activations. The activation is then applied to the perturbed values.
    /// </summary>
    public virtual void ApplyTrainingNoise(Span<float> preActivation, Random random)
    {
    }

    /// <summary>Whether <see cref="ApplyTrainingNoise"/> changes anything: true for stochastic activations only.</summary>
    public virtual bool IsStochastic => false;

    internal abstract void Forward(ReadOnlySpan<float> x, Span<float> y, VectorWidth width);

    /// <summary>
    /// y = f(x; a) with each unit's learned slope: <paramref name="x"/> holds channels-last values, value i
    /// belonging to unit i mod <c>slopes.Length</c>. <paramref name="y"/> may be <paramref name="x"/> itself.
    /// </summary>
    /// <exception cref="NotSupportedException">The function has no learned slope.</exception>
    internal virtual void ForwardWithSlopes(ReadOnlySpan<float> x, ReadOnlySpan<float> slopes, Span<float> y) =>
        throw new NotSupportedException($"{Id} has no learned slope.");

    /// <summary>
    /// The backward pass with each unit's learned slope: dx = dy · ∂f/∂x, and each unit's Σ dy · ∂f/∂a added to
    /// <paramref name="slopeGradient"/>. <paramref name="dx"/> must be memory of its own.
    /// </summary>
    /// <exception cref="NotSupportedException">The function has no learned slope.</exception>
    internal virtual void BackwardWithSlopes(ReadOnlySpan<float> x, ReadOnlySpan<float> slopes, ReadOnlySpan<float> dy, Span<float> dx, Span<float> slopeGradient) =>
        throw new NotSupportedException($"{Id} has no learned slope.");

    internal abstract void Backward(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx, VectorWidth width);

    /// <summary>The matrix product with this activation in its epilogue, compiled for the function's operator (see <see cref="Gemm.MultiplyAddBias(int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, int, ActivationFunction?)"/>).</summary>
    internal abstract unsafe void MultiplyAddBias(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* bias, float* c, nint ldc, VectorWidth width);

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

    public override GradientSource GradientSource => TOperator.GradientSource;

    public override ActivationRole Role => TOperator.Role;

    public override string Colour => TOperator.Colour;

    internal override OnnxActivationForm OnnxForm => TOperator.Onnx;

    public override float Invoke(float x) => default(TOperator).Invoke(x);

    public override float Derivative(float x) =>
        default(TOperator).Derivative(TOperator.GradientSource == GradientSource.Output ? default(TOperator).Invoke(x) : x);

    public override void ForwardParallel(ReadOnlySpan<float> x, Span<float> y) =>
        ActivationKernel.TransformParallel(x, y, default(TOperator));

    public override void ForwardWithBias(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        if (bias.IsEmpty ? !x.IsEmpty : x.Length % bias.Length != 0)
        {
            throw new ArgumentException($"{x.Length} values are not a whole number of channels for {bias.Length} biases.", nameof(x));
        }
        if (y.Length < x.Length)
        {
            throw new ArgumentException($"The destination has {y.Length} elements but needs {x.Length}.", nameof(y));
        }
        // Checked for the whole block: channel by channel, a destination a whole channel away would pass.
        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            throw new ArgumentException("The destination partially overlaps the input; use the same span for in-place work or separate memory.", nameof(y));
        }
        int channelLength = bias.IsEmpty ? 0 : x.Length / bias.Length;
        for (int c = 0; c < bias.Length; c++)
        {
            ActivationKernel.Transform(x.Slice(c * channelLength, channelLength), y.Slice(c * channelLength, channelLength),
                new BiasedOperator<TOperator>(bias[c]), VectorWidth.Best);
        }
    }

    public override void BackwardParallel(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(forward, dy, dx);
        ActivationKernel.CombineParallel(forward, dy, dx, default(GradientOperator<TOperator>));
    }

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, VectorWidth width) =>
        ActivationKernel.Transform(x, y, default(TOperator), width);

    internal override void Backward(ReadOnlySpan<float> forward, ReadOnlySpan<float> dy, Span<float> dx, VectorWidth width)
    {
        CheckBackward(forward, dy, dx);
        ActivationKernel.Combine(forward, dy, dx, default(GradientOperator<TOperator>), width);
    }

    internal override unsafe void MultiplyAddBias(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* bias, float* c, nint ldc, VectorWidth width) =>
        Gemm.MultiplyAddBias<TOperator>(m, n, k, a, rowStride, colStride, b, ldb, bias, c, ldc, width);
}
