using Engine.Activations;
using Engine.Numerics;

namespace Engine.Networks;

/// <summary>
/// A fully connected layer: y = x·W + b with W stored [inputs, units], the input taken in its channels-last
/// order. (The ONNX export reorders the rows for ONNX's channels-first flatten and transposes W.)
/// </summary>
public sealed class DenseLayer : Layer
{
    /// <summary>A layer of <paramref name="units"/> units fed by all of <paramref name="input"/>.</summary>
    public DenseLayer(string name, FeatureShape input, int units)
        : base(name, input, FeatureShape.Vector(units))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        Units = units;
    }

    /// <summary>The layer's outputs.</summary>
    public int Units { get; }

    private int Inputs => Input.Size;

    /// <inheritdoc />
    protected override IEnumerable<(string Role, int Length, int FanIn, bool IsWeight, float InitialValue)> DeclareParameters() =>
        [("weight", Inputs * Units, Inputs, true, 0f), ("bias", Units, Inputs, false, 0f)];

    /// <inheritdoc />
    public override object? CreateScratch(int batchSize, bool training) => training ? new float[Inputs * Units] : null;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        MatrixOps.Broadcast(parameters.Slice(Inputs * Units, Units), count, output);
        Gemm.Multiply(count, Units, Inputs, input, Inputs, 1, parameters[..(Inputs * Units)], Units, output, Units, accumulate: true);
    }

    /// <inheritdoc />
    public override bool CanApplyActivation => true;

    /// <inheritdoc />
    public override void ForwardWithActivation(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, ActivationFunction? activation) =>
        Gemm.MultiplyAddBias(count, Units, Inputs, input, Inputs, 1, parameters[..(Inputs * Units)], Units, parameters.Slice(Inputs * Units, Units), output, Units, activation);

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
        // dW += xᵀ·dY, db += Σ dY, dx = dY·Wᵀ
        Gemm.Multiply(Inputs, Units, count, input, 1, Inputs, outputGradient, Units, parameterGradient[..(Inputs * Units)], Units, accumulate: true);
        MatrixOps.AddColumnSums(outputGradient, count, parameterGradient.Slice(Inputs * Units, Units));
        if (!inputGradient.IsEmpty)
        {
            var transposed = (float[])scratch!;
            MatrixOps.Transpose(parameters[..(Inputs * Units)], Inputs, Units, transposed);
            Gemm.Multiply(count, Inputs, Units, outputGradient, Units, 1, transposed, Inputs, inputGradient, Inputs, accumulate: false);
        }
    }
}
