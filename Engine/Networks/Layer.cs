using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// One stage of a <see cref="Network"/>. A layer holds no per-image state: the images of a batch pass
/// through it as one block of <c>count × Input.Size</c> values, and whatever the backward pass needs from the
/// forward one lives in the caller's scratch object, so several threads can use one layer at once.
/// </summary>
public abstract class Layer
{
    /// <summary>A layer named <paramref name="name"/> mapping <paramref name="input"/> to <paramref name="output"/>.</summary>
    protected Layer(string name, FeatureShape input, FeatureShape output)
    {
        Name = name;
        Input = input;
        Output = output;
    }

    /// <summary>The layer's name, e.g. <c>conv1</c>.</summary>
    public string Name { get; }

    /// <summary>The shape of one image's input.</summary>
    public FeatureShape Input { get; }

    /// <summary>The shape of one image's output.</summary>
    public FeatureShape Output { get; }

    /// <summary>The layer's parameters in the network's flat array (empty for layers without any).</summary>
    public IReadOnlyList<ParameterTensor> Parameters { get; private set; } = [];

    /// <summary>The number of parameter values the layer owns.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Length);

    /// <summary>Where the layer's parameters start in the network's flat array.</summary>
    public int ParameterOffset => Parameters.Count == 0 ? 0 : Parameters[0].Offset;

    /// <summary>
    /// The lengths, fan-ins, kinds and starting values of the layer's tensors, in order: (role, length, fan-in, is
    /// weight, initial value of a tensor that is not a weight).
    /// </summary>
    protected virtual IEnumerable<(string Role, int Length, int FanIn, bool IsWeight, float InitialValue)> DeclareParameters() => [];

    /// <summary>Places the layer's tensors in the flat array from <paramref name="offset"/>; returns the next free offset.</summary>
    internal int AssignParameters(int offset)
    {
        var tensors = new List<ParameterTensor>();
        foreach ((string role, int length, int fanIn, bool isWeight, float initialValue) in DeclareParameters())
        {
            tensors.Add(new ParameterTensor($"{Name}.{role}", offset, length, fanIn, isWeight, initialValue));
            offset += length;
        }
        Parameters = tensors;
        return offset;
    }

    /// <summary>
    /// Per-thread memory the layer needs for up to <paramref name="batchSize"/> images, or null; without
    /// <paramref name="training"/>, only what the forward pass needs.
    /// </summary>
    public virtual object? CreateScratch(int batchSize, bool training) => null;

    /// <summary>
    /// Runs <paramref name="count"/> images forward. <paramref name="parameters"/> is the layer's slice of the
    /// flat array. <paramref name="training"/> is null at inference; while training it drives dropout and noise.
    /// </summary>
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training);

    /// <summary>
    /// Whether <see cref="ForwardWithActivation"/> can apply the activation that follows the layer within its
    /// own pass, so that the network skips the separate activation pass at inference.
    /// </summary>
    public virtual bool CanApplyActivation => false;

    /// <summary>
    /// The inference forward pass with <paramref name="activation"/> (none when null) applied to the output as
    /// it is produced: the same values as <see cref="Forward"/> followed by the activation's own pass.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer cannot do that: <see cref="CanApplyActivation"/> is false.</exception>
    public virtual void ForwardWithActivation(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, ActivationFunction? activation) =>
        throw new NotSupportedException($"{Name} cannot apply an activation in its own pass.");

    /// <summary>
    /// Backpropagates: adds the parameter gradients to <paramref name="parameterGradient"/> (the layer's slice)
    /// and writes the input gradient to <paramref name="inputGradient"/>, unless that is empty (the first layer).
    /// <paramref name="input"/> and <paramref name="output"/> are those of the last forward pass with the same scratch.
    /// </summary>
    public abstract void Backward(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        Span<float> parameterGradient,
        int count,
        object? scratch);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Input} → {Output}";
}
