namespace Engine.Training;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e−8, and decoupled weight decay
/// (Loshchilov &amp; Hutter, 2019) on the weights but not the biases.
/// </summary>
internal sealed class AdamOptimizer
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly ConvNetParameters firstMoment = new();
    private readonly ConvNetParameters secondMoment = new();
    private int steps;

    /// <summary>Moves <paramref name="parameters"/> one step against the mean <paramref name="gradients"/>.</summary>
    public void Step(ConvNetParameters parameters, ConvNetParameters gradients, float learningRate, float weightDecay)
    {
        steps++;
        float correction1 = 1f - MathF.Pow(Beta1, steps);
        float correction2 = 1f - MathF.Pow(Beta2, steps);
        float stepSize = learningRate * MathF.Sqrt(correction2) / correction1;

        foreach (float[] weights in new[] { parameters.ConvWeight, parameters.DenseWeight })
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(weights, 1f - learningRate * weightDecay, weights);
        }
        foreach (var (weights, gradient, m, v) in parameters.Tensors
                     .Zip(gradients.Tensors, firstMoment.Tensors)
                     .Zip(secondMoment.Tensors, (a, v) => (a.First, a.Second, a.Third, v)))
        {
            for (int i = 0; i < weights.Length; i++)
            {
                float g = gradient[i];
                m[i] = Beta1 * m[i] + (1f - Beta1) * g;
                v[i] = Beta2 * v[i] + (1f - Beta2) * g * g;
                weights[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
            }
        }
    }
}
