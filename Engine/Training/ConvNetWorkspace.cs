namespace Engine.Training;

/// <summary>
/// The intermediates of one image's forward and backward pass through <see cref="ConvNet"/>. One per
/// thread: allocate once and reuse, so a training step allocates nothing.
/// </summary>
public sealed class ConvNetWorkspace
{
    /// <summary>The input laid out for the convolution (im2col): [25 taps, 576 positions].</summary>
    public float[] Patches { get; } = new float[ConvNet.KernelSize * ConvNet.ConvArea];

    /// <summary>
    /// Convolution outputs before the activation, [20, 24, 24]: without the bias where the bias add is fused
    /// into the activation, with it (and with any training noise) where the backward pass needs them.
    /// </summary>
    public float[] Convolution { get; } = new float[ConvNet.Filters * ConvNet.ConvArea];

    /// <summary>Convolution outputs after the activation: [20, 24, 24].</summary>
    public float[] Activated { get; } = new float[ConvNet.Filters * ConvNet.ConvArea];

    /// <summary>The pooled features: [20, 12, 12].</summary>
    public float[] Pooled { get; } = new float[ConvNet.Features];

    /// <summary>For each pooled feature, the index in <see cref="Activated"/> that won its window.</summary>
    public int[] PoolSource { get; } = new int[ConvNet.Features];

    /// <summary>The dense layer's outputs.</summary>
    public float[] Logits { get; } = new float[ConvNet.Classes];

    /// <summary>The softmax of <see cref="Logits"/>.</summary>
    public float[] Probabilities { get; } = new float[ConvNet.Classes];

    internal float[] PooledGradient { get; } = new float[ConvNet.Features];

    internal float[] ActivatedGradient { get; } = new float[ConvNet.Filters * ConvNet.ConvArea];

    internal float[] PreActivationGradient { get; } = new float[ConvNet.Filters * ConvNet.ConvArea];
}
