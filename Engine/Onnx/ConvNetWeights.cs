namespace Engine.Onnx;

/// <summary>
/// The trained parameters of the baseline digit CNN: one 5×5 convolution with
/// <see cref="FilterCount"/> filters over a 28×28 grey image, 2×2 max pooling, and a dense
/// layer from the <see cref="DenseInputLength"/> pooled features to <see cref="ClassCount"/> logits.
/// </summary>
/// <remarks>
/// All arrays are row-major (C order), matching ONNX's NCHW tensors, so they are written to the
/// model without reordering. The record keeps references to the arrays, not copies.
/// </remarks>
/// <param name="ConvWeight">Convolution kernels, shape [20, 1, 5, 5]: index <c>f*25 + ky*5 + kx</c>.</param>
/// <param name="ConvBias">Convolution biases, shape [20]: one per filter.</param>
/// <param name="DenseWeight">
/// Dense weights, shape [10, 2880]: index <c>k*2880 + c*144 + y*12 + x</c> for class <c>k</c> and
/// pooled feature (<c>c</c>, <c>y</c>, <c>x</c>), the NCHW flatten order.
/// </param>
/// <param name="DenseBias">Dense biases, shape [10]: one per class.</param>
public sealed record ConvNetWeights(float[] ConvWeight, float[] ConvBias, float[] DenseWeight, float[] DenseBias)
{
    /// <summary>Input images are <c>ImageSize × ImageSize</c> pixels, one channel.</summary>
    public const int ImageSize = 28;

    /// <summary>Number of convolution filters (output channels).</summary>
    public const int FilterCount = 20;

    /// <summary>Side of the square convolution kernel.</summary>
    public const int KernelSize = 5;

    /// <summary>Side and stride of the square max-pooling window.</summary>
    public const int PoolSize = 2;

    /// <summary>Number of digit classes (logits).</summary>
    public const int ClassCount = 10;

    /// <summary>Side of a feature map after the unpadded, stride-1 convolution (24).</summary>
    public const int ConvOutputSize = ImageSize - KernelSize + 1;

    /// <summary>Side of a feature map after pooling (12).</summary>
    public const int PooledSize = ConvOutputSize / PoolSize;

    /// <summary>Number of features entering the dense layer (20 × 12 × 12 = 2880).</summary>
    public const int DenseInputLength = FilterCount * PooledSize * PooledSize;

    /// <summary>Convolution kernels, shape [20, 1, 5, 5] (500 values).</summary>
    /// <exception cref="ArgumentException">Construction: the array does not hold 500 values.</exception>
    public float[] ConvWeight { get; } = Validate(ConvWeight, FilterCount * KernelSize * KernelSize, nameof(ConvWeight));

    /// <summary>Convolution biases, shape [20].</summary>
    /// <exception cref="ArgumentException">Construction: the array does not hold 20 values.</exception>
    public float[] ConvBias { get; } = Validate(ConvBias, FilterCount, nameof(ConvBias));

    /// <summary>Dense weights, shape [10, 2880] (28800 values), NCHW flatten order.</summary>
    /// <exception cref="ArgumentException">Construction: the array does not hold 28800 values.</exception>
    public float[] DenseWeight { get; } = Validate(DenseWeight, ClassCount * DenseInputLength, nameof(DenseWeight));

    /// <summary>Dense biases, shape [10].</summary>
    /// <exception cref="ArgumentException">Construction: the array does not hold 10 values.</exception>
    public float[] DenseBias { get; } = Validate(DenseBias, ClassCount, nameof(DenseBias));

    private static float[] Validate(float[] values, int expectedLength, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        if (values.Length != expectedLength)
        {
            throw new ArgumentException(
                $"{parameterName} must hold {expectedLength} values but holds {values.Length}.", parameterName);
        }

        return values;
    }
}
