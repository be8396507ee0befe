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
        // Box–Muller gives two independent standard normals per pair of uniforms; both are used.
        for (int i = 0; i < preActivation.Length; i += 2)
        {
            float radius = MathF.Sqrt(-2f * MathF.Log(1f - random.NextSingle()));
            (float sin, float cos) = MathF.SinCos(2f * MathF.PI * random.NextSingle());
            AddNoise(ref preActivation[i], radius * cos);
            if (i + 1 < preActivation.Length)
            {
                AddNoise(ref preActivation[i + 1], radius * sin);
            }
        }
    }

    // x + N(0, σ(x)): a standard normal scaled by the standard deviation √σ(x).
    private static void AddNoise(ref float x, float standardNormal) =>
        x += MathF.Sqrt(1f / (1f + MathF.Exp(-x))) * standardNormal;
}
