using System.Numerics.Tensors;
using Engine.Onnx;

namespace Engine.Training;

/// <summary>
/// The weights of <see cref="ConvNet"/>, or gradients of the same shape. Layouts are those of ONNX:
/// convolution weights [filter, 1, row, column], dense weights [class, feature] with features in NCHW
/// order.
/// </summary>
public sealed class ConvNetParameters
{
    /// <summary>Convolution weights, [20, 1, 5, 5].</summary>
    public float[] ConvWeight { get; } = new float[ConvNet.Filters * ConvNet.KernelSize];

    /// <summary>Convolution biases, [20].</summary>
    public float[] ConvBias { get; } = new float[ConvNet.Filters];

    /// <summary>Dense weights, [10, 2880].</summary>
    public float[] DenseWeight { get; } = new float[ConvNet.Classes * ConvNet.Features];

    /// <summary>Dense biases, [10].</summary>
    public float[] DenseBias { get; } = new float[ConvNet.Classes];

    /// <summary>Every tensor, in a fixed order, for code that treats them alike.</summary>
    public IEnumerable<float[]> Tensors => [ConvWeight, ConvBias, DenseWeight, DenseBias];

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        foreach (float[] tensor in Tensors)
        {
            Array.Clear(tensor);
        }
    }

    /// <summary>Adds <paramref name="other"/> element by element.</summary>
    public void Add(ConvNetParameters other)
    {
        foreach ((float[] mine, float[] theirs) in Tensors.Zip(other.Tensors))
        {
            TensorPrimitives.Add(mine, theirs, mine);
        }
    }

    /// <summary>Copies every value from <paramref name="source"/>.</summary>
    public void CopyFrom(ConvNetParameters source)
    {
        foreach ((float[] mine, float[] theirs) in Tensors.Zip(source.Tensors))
        {
            theirs.CopyTo(mine, 0);
        }
    }

    /// <summary>The weights as the ONNX exporter takes them (the same arrays, not copies).</summary>
    public ConvNetWeights ToWeights() => new(ConvWeight, ConvBias, DenseWeight, DenseBias);
}
