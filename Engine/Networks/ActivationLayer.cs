using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// The activation function applied to every value, with the Engine's SIMD kernels. While training, a
/// stochastic activation (Noisy ReLU) first perturbs its input.
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
    public override object? CreateScratch(int batchSize, bool training) =>
        training && Function.IsStochastic && Function.GradientSource == GradientSource.Input ? new float[batchSize * Input.Size] : null;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        int length = count * Input.Size;
        ReadOnlySpan<float> x = input[..length];
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
        ReadOnlySpan<float> forward = Function.GradientSource == GradientSource.Output ? output[..length]
            : scratch is float[] noisy ? noisy.AsSpan(0, length)
            : input[..length];
        Function.Backward(forward, outputGradient[..length], inputGradient[..length]);
    }
}
