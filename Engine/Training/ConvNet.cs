using System.Numerics.Tensors;
using Engine.Activations;
using Engine.Onnx;

namespace Engine.Training;

/// <summary>
/// The article's baseline network: 28×28×1 → convolution 5×5, 20 filters (no padding, stride 1) →
/// activation → max-pool 2×2 stride 2 → fully connected 10 → softmax. It holds the weights and runs the
/// forward and backward passes of one image at a time in a caller-owned <see cref="ConvNetWorkspace"/>,
/// so several threads can work on one network at once.
/// </summary>
public sealed class ConvNet
{
    /// <summary>The side of the input image.</summary>
    public const int InputSide = ConvNetWeights.ImageSize;
    /// <summary>Floats per input image.</summary>
    public const int InputSize = InputSide * InputSide;
    /// <summary>Convolution filters.</summary>
    public const int Filters = ConvNetWeights.FilterCount;
    /// <summary>The side of each square filter.</summary>
    public const int KernelSide = ConvNetWeights.KernelSize;
    /// <summary>Weights per filter.</summary>
    public const int KernelSize = KernelSide * KernelSide;
    /// <summary>The side of each convolution output map.</summary>
    public const int ConvSide = InputSide - KernelSide + 1;
    /// <summary>Positions per convolution output map.</summary>
    public const int ConvArea = ConvSide * ConvSide;
    /// <summary>The side of each pooled map.</summary>
    public const int PoolSide = ConvSide / ConvNetWeights.PoolSize;
    /// <summary>Positions per pooled map.</summary>
    public const int PoolArea = PoolSide * PoolSide;
    /// <summary>Inputs of the fully connected layer, in NCHW order: filter, row, column.</summary>
    public const int Features = Filters * PoolArea;
    /// <summary>Output classes, the digits 0–9.</summary>
    public const int Classes = ConvNetWeights.ClassCount;

    private ConvNet(ActivationFunction activation, ConvNetParameters parameters)
    {
        Activation = activation;
        Parameters = parameters;
    }

    /// <summary>The activation after the convolution.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>The weights, updated in place by training.</summary>
    public ConvNetParameters Parameters { get; }

    /// <summary>
    /// A network with He-initialised weights (normal, variance 2 / fan-in) and zero biases, the same for
    /// the same seed.
    /// </summary>
    public static ConvNet Create(ActivationFunction activation, int seed)
    {
        var random = new Random(seed);
        var parameters = new ConvNetParameters();
        FillNormal(parameters.ConvWeight, MathF.Sqrt(2f / KernelSize), random);
        FillNormal(parameters.DenseWeight, MathF.Sqrt(2f / Features), random);
        return new ConvNet(activation, parameters);
    }

    /// <summary>A network using existing weights.</summary>
    public static ConvNet FromParameters(ActivationFunction activation, ConvNetParameters parameters) => new(activation, parameters);

    /// <summary>
    /// Runs one image forward, leaving every intermediate in <paramref name="workspace"/> and the class
    /// probabilities in its <see cref="ConvNetWorkspace.Probabilities"/>. With <paramref name="noise"/>,
    /// the activation's training noise is applied.
    /// </summary>
    public void Forward(ReadOnlySpan<float> image, ConvNetWorkspace workspace, Random? noise = null)
    {
        ConvNetParameters p = Parameters;
        ConvNetWorkspace w = workspace;

        // im2col: row k of Patches holds, for every output position, the input pixel under filter tap k.
        for (int ky = 0; ky < KernelSide; ky++)
        {
            for (int kx = 0; kx < KernelSide; kx++)
            {
                Span<float> row = w.Patches.AsSpan((ky * KernelSide + kx) * ConvArea, ConvArea);
                for (int y = 0; y < ConvSide; y++)
                {
                    image.Slice((y + ky) * InputSide + kx, ConvSide).CopyTo(row.Slice(y * ConvSide, ConvSide));
                }
            }
        }

        for (int f = 0; f < Filters; f++)
        {
            Span<float> map = w.Convolution.AsSpan(f * ConvArea, ConvArea);
            TensorPrimitives.Multiply(w.Patches.AsSpan(0, ConvArea), p.ConvWeight[f * KernelSize], map);
            for (int k = 1; k < KernelSize; k++)
            {
                TensorPrimitives.MultiplyAdd(w.Patches.AsSpan(k * ConvArea, ConvArea), p.ConvWeight[f * KernelSize + k], map, map);
            }
        }

        if (noise is null && Activation.GradientSource == GradientSource.Output)
        {
            // The bias add and the activation in one pass over the convolution's output, while it is in cache.
            Activation.ForwardWithBias(w.Convolution, p.ConvBias, w.Activated);
        }
        else
        {
            // The backward pass needs the biased input (or the noise must go in between): keep it.
            for (int f = 0; f < Filters; f++)
            {
                Span<float> map = w.Convolution.AsSpan(f * ConvArea, ConvArea);
                TensorPrimitives.Add(map, p.ConvBias[f], map);
            }
            if (noise is not null)
            {
                Activation.ApplyTrainingNoise(w.Convolution, noise);
            }
            Activation.Forward(w.Convolution, w.Activated);
        }
        MaxPool(w.Activated, w.Pooled, w.PoolSource);

        for (int c = 0; c < Classes; c++)
        {
            w.Logits[c] = TensorPrimitives.Dot(p.DenseWeight.AsSpan(c * Features, Features), w.Pooled) + p.DenseBias[c];
        }
        TensorPrimitives.SoftMax(w.Logits, w.Probabilities);
    }

    /// <summary>
    /// Backpropagates the cross-entropy loss of the image last run forward in <paramref name="workspace"/>
    /// against <paramref name="label"/>, adding the gradients to <paramref name="gradients"/>.
    /// </summary>
    /// <returns>The image's cross-entropy loss.</returns>
    public float Backward(int label, ConvNetWorkspace workspace, ConvNetParameters gradients)
    {
        ConvNetParameters p = Parameters;
        ConvNetWorkspace w = workspace;

        // Softmax with cross-entropy: dLoss/dLogits = probabilities − one-hot(label).
        Span<float> outputGradient = stackalloc float[Classes];
        w.Probabilities.CopyTo(outputGradient);
        outputGradient[label] -= 1f;
        float loss = -MathF.Log(MathF.Max(w.Probabilities[label], 1e-30f));

        w.PooledGradient.AsSpan().Clear();
        for (int c = 0; c < Classes; c++)
        {
            Span<float> weights = p.DenseWeight.AsSpan(c * Features, Features);
            Span<float> weightGradient = gradients.DenseWeight.AsSpan(c * Features, Features);
            TensorPrimitives.MultiplyAdd(w.Pooled, outputGradient[c], weightGradient, weightGradient);
            TensorPrimitives.MultiplyAdd(weights, outputGradient[c], w.PooledGradient, w.PooledGradient);
            gradients.DenseBias[c] += outputGradient[c];
        }

        // Max-pooling passes each gradient to the position that won its window.
        w.ActivatedGradient.AsSpan().Clear();
        for (int i = 0; i < Features; i++)
        {
            w.ActivatedGradient[w.PoolSource[i]] = w.PooledGradient[i];
        }
        ReadOnlySpan<float> forward = Activation.GradientSource == GradientSource.Output ? w.Activated : w.Convolution;
        Activation.Backward(forward, w.ActivatedGradient, w.PreActivationGradient);

        for (int f = 0; f < Filters; f++)
        {
            ReadOnlySpan<float> mapGradient = w.PreActivationGradient.AsSpan(f * ConvArea, ConvArea);
            gradients.ConvBias[f] += TensorPrimitives.Sum(mapGradient);
            for (int k = 0; k < KernelSize; k++)
            {
                gradients.ConvWeight[f * KernelSize + k] += TensorPrimitives.Dot(mapGradient, w.Patches.AsSpan(k * ConvArea, ConvArea));
            }
        }
        return loss;
    }

    /// <summary>The most probable class of one image, with <paramref name="workspace"/>'s probabilities filled.</summary>
    public int Predict(ReadOnlySpan<float> image, ConvNetWorkspace workspace)
    {
        Forward(image, workspace);
        return TensorPrimitives.IndexOfMax(workspace.Probabilities);
    }

    // 2×2 windows, stride 2; `source` records which element of `input` won each output.
    private static void MaxPool(ReadOnlySpan<float> input, Span<float> output, Span<int> source)
    {
        for (int f = 0; f < Filters; f++)
        {
            int mapOffset = f * ConvArea;
            for (int y = 0; y < PoolSide; y++)
            {
                for (int x = 0; x < PoolSide; x++)
                {
                    int topLeft = mapOffset + 2 * y * ConvSide + 2 * x;
                    int best = topLeft;
                    foreach (int candidate in (ReadOnlySpan<int>)[topLeft + 1, topLeft + ConvSide, topLeft + ConvSide + 1])
                    {
                        if (input[candidate] > input[best])
                        {
                            best = candidate;
                        }
                    }
                    int o = f * PoolArea + y * PoolSide + x;
                    output[o] = input[best];
                    source[o] = best;
                }
            }
        }
    }

    private static void FillNormal(Span<float> values, float standardDeviation, Random random)
    {
        foreach (ref float value in values)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            value = standardDeviation * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
