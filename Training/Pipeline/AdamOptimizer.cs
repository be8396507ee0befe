using System.Numerics.Tensors;
using Engine.Networks;

namespace Training.Pipeline;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e−8, and decoupled weight decay
/// (Loshchilov &amp; Hutter, 2019) on the weights but not the biases, over a network's flat parameter array.
/// </summary>
internal sealed class AdamOptimizer(Network network)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly float[] firstMoment = new float[network.Parameters.Length];
    private readonly float[] secondMoment = new float[network.Parameters.Length];
    private readonly float[] scratch = new float[network.Parameters.Length];
    private readonly ParameterTensor[] weights = network.Tensors.Where(t => t.IsWeight).ToArray();
    private int steps;

    /// <summary>Moves the network's parameters one step against the mean <paramref name="gradient"/>.</summary>
    public void Step(ReadOnlySpan<float> gradient, float learningRate, float weightDecay)
    {
        steps++;
        float correction1 = 1f - MathF.Pow(Beta1, steps);
        float correction2 = 1f - MathF.Pow(Beta2, steps);
        float stepSize = learningRate * MathF.Sqrt(correction2) / correction1;
        Span<float> parameters = network.Parameters;

        foreach (ParameterTensor tensor in weights)
        {
            Span<float> w = parameters.Slice(tensor.Offset, tensor.Length);
            TensorPrimitives.Multiply(w, 1f - learningRate * weightDecay, w);
        }

        // m = β₁m + (1 − β₁)g;  v = β₂v + (1 − β₂)g²;  θ −= step · m / (√v + ε)
        Span<float> m = firstMoment;
        Span<float> v = secondMoment;
        Span<float> t = scratch;
        TensorPrimitives.Multiply(m, Beta1, m);
        TensorPrimitives.MultiplyAdd(gradient, 1f - Beta1, m, m);
        TensorPrimitives.Multiply(gradient, gradient, t);
        TensorPrimitives.Multiply(t, 1f - Beta2, t);
        TensorPrimitives.MultiplyAdd(v, Beta2, t, v);
        TensorPrimitives.Sqrt(v, t);
        TensorPrimitives.Add(t, Epsilon, t);
        TensorPrimitives.Divide(m, t, t);
        TensorPrimitives.MultiplyAdd(t, -stepSize, parameters, parameters);
    }
}
