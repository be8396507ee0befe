using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// The activation function applied to every value, with the Engine's SIMD kernels. While training, a
/// stochastic activation (Noisy ReLU) first perturbs its input. An activation with a learned slope (PReLU) keeps
/// one slope per unit as the layer's parameters, trained like a bias.
/// </summary>
public sealed class ActivationLayer : Layer
{
    /// <summary>The activation applied to the output of <paramref name="linear"/>.</summary>
    public ActivationLayer(Layer linear, ActivationFunction function)
        : base($"{linear.Name}.activation", linear.Output, linear.Output)
    {
        Function = function;
        Units = linear.Name;
    }

    /// <summary>
    /// The layer whose units this activation belongs to, e.g. <c>conv1</c>: a unit is one of its feature
    /// maps (channels) or neurons.
    /// </summary>
    public string Units { get; }

    /// <summary>The activation.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc />
    protected override IEnumerable<(string Role, int Length, int FanIn, bool IsWeight, float InitialValue)> DeclareParameters() =>
        Function.InitialSlope is float initial ? [("slope", Output.Channels, 1, false, initial)] : [];

    /// <inheritdoc />
    /// <remarks>
    /// While training, a stochastic activation whose gradient reads its input keeps the noisy input, and one with a
    /// learned slope gets room for the products it sums into the slopes' gradient when it has no input gradient to use.
    /// </remarks>
    public override object? CreateScratch(int batchSize, bool training) =>
        training && (Function.HasLearnedSlope || (Function.IsStochastic && Function.GradientSource == GradientSource.Input))
            ? new float[batchSize * Input.Size]
            : null;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        int length = count * Input.Size;
        ReadOnlySpan<float> x = input[..length];
        if (Function.HasLearnedSlope)
        {
            Function.ForwardWithSlopes(x, parameters, output[..length]);
            return;
        }
        if (training is not null && Function.IsStochastic)
        {
            // The noisy pre-activation is what the gradient must see: keep it where the backward pass looks.
            Span<float> noisy = scratch is float[] kept ? kept.AsSpan(0, length) : output[..length];
            x.CopyTo(noisy);
            Function.ApplyTrainingNoise(noisy, training);
            x = noisy;
        }
        Function.Forward(x, output[..length]);
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        Span<float> parameterGradient,
        int count,
        object? scratch)
    {
        int length = count * Input.Size;
        if (Function.HasLearnedSlope)
        {
            Span<float> dx = inputGradient.IsEmpty ? ((float[])scratch!).AsSpan(0, length) : inputGradient[..length];
            Function.BackwardWithSlopes(input[..length], parameters, outputGradient[..length], dx, parameterGradient);
            return;
        }
        ReadOnlySpan<float> forward = Function.GradientSource == GradientSource.Output ? output[..length]
            : scratch is float[] noisy ? noisy.AsSpan(0, length)
            : input[..length];
        Function.Backward(forward, outputGradient[..length], inputGradient[..length]);
    }
}
