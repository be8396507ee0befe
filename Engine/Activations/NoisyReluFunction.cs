namespace Engine.Activations;

/// <summary>
/// Noisy ReLU (Nair &amp; Hinton, 2010): f(x) = max(0, x + N(0, σ(x))) while training, where σ is the
/// logistic function and N(0, σ(x)) Gaussian noise of variance σ(x); plain ReLU at inference, so its
/// kernels are ReLU's. The noise is treated as a constant in the backward pass.
/// </summary>
internal sealed class NoisyReluFunction : ActivationFunction<ReluOperator>
{
    public override string Id => "noisy_relu";

    public override string Name => "Noisy ReLU";

    public override string Formula => "f(x) = max(0, x + N(0, σ(x))) while training (σ the logistic function), max(0, x) at inference";

    public override string DerivativeFormula => "f'(x) = 1 where x + noise > 0, else 0 (noise held constant)";

    public override void ApplyTrainingNoise(Span<float> preActivation, Random random)
    {
        foreach (ref float x in preActivation)
        {
            float variance = 1f / (1f + MathF.Exp(-x));
            x += MathF.Sqrt(variance) * StandardNormal(random);
        }
    }

    // Box–Muller: one standard normal sample from two uniform ones.
    private static float StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
