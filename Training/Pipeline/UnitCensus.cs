using System.Numerics.Tensors;
using Contracts;
using Engine.Activations;
using Engine.Networks;

namespace Training.Pipeline;

/// <summary>
/// Counts the dead, collapsed and dormant units of every activation layer (see <see cref="LayerUnits"/>) while
/// classifying a labelled set, in inference mode, in one pass over it. A unit is one feature map of a convolution
/// or one neuron of a fully connected layer; its values are every position of every image.
/// </summary>
/// <remarks>
/// <para>The three mean the same for every activation:</para>
/// <list type="bullet">
/// <item><b>dead</b>: |f′(x)| &lt; <see cref="DeadDerivativeThreshold"/> at every value, so no gradient flows back
/// through the unit. f′ is the derivative the backward pass uses (with the layer's learned slopes for PReLU). For
/// ReLU that is "never positive"; Leaky ReLU never dies; ELU and SELU only where every x is below about −14
/// (eˣ &lt; ε); ReLU–Softsign and Softsign only beyond |x| ≈ 1000; GELU below about −5.1 and SiLU below about
/// −16.6; PReLU where every x ≤ 0 and its slope has fallen below ε.</item>
/// <item><b>collapsed</b>: the variance of its values is at most <see cref="CollapsedThreshold"/> times the mean
/// variance of the layer's units: it outputs (nearly) one constant, whatever the image.</item>
/// <item><b>dormant</b>: its mean |output| is at most <see cref="DormantThreshold"/> times the mean over the
/// layer's units (Sokar et al., 2023).</item>
/// </list>
/// <para>Predictions come from the network's inference pass, as served. Where an activation's derivative needs its
/// input x (GELU, SiLU, PReLU), which inference never stores, the counts come from a second pass that keeps every
/// layer's values; otherwise from the same pass. Partial sums are combined in block order, so the counts do not
/// depend on the thread schedule.</para>
/// </remarks>
public static class UnitCensus
{
    /// <summary>ε: a unit is dead when |f′(x)| is below this at every one of its values.</summary>
    public const float DeadDerivativeThreshold = 1e-6f;

    /// <summary>A unit is collapsed when the variance of its values is at most this fraction of its layer's mean unit variance.</summary>
    public const double CollapsedThreshold = 1e-4;

    /// <summary>A unit is dormant when its mean |output| is at most this fraction of its layer's mean (Sokar et al., 2023).</summary>
    public const double DormantThreshold = 0.1;

    /// <summary>Classifies <paramref name="digits"/> and counts the units; <paramref name="epoch"/> labels the snapshot.</summary>
    public static (Evaluation Evaluation, UnitSnapshot Units) Take(Network network, PreparedDigits digits, int epoch)
    {
        int[] activationIndices = network.Layers.Select((layer, index) => (layer, index))
            .Where(x => x.layer is ActivationLayer).Select(x => x.index).ToArray();
        bool needsInput = network.ActivationLayers.Any(static l => l.Function.GradientSource == GradientSource.Input);
        int largestLayer = activationIndices.Select(i => network.Layers[i].Output.Size).DefaultIfEmpty(0).Max();
        int block = Network.InferenceBlock;
        int blocks = (digits.Count + block - 1) / block;
        int classes = network.Classes;
        var predictions = new int[digits.Count];
        var measured = new UnitMeasure[blocks][];

        Parallel.For(0, blocks, () => new Buffers(network, block, largestLayer, needsInput), (b, _, buffers) =>
        {
            int first = b * block;
            int count = Math.Min(block, digits.Count - first);
            ReadOnlySpan<float> images = digits.Images.AsSpan(first * network.InputSize, count * network.InputSize);
            network.Forward(images, count, buffers.Inference);
            for (int i = 0; i < count; i++)
            {
                predictions[first + i] = TensorPrimitives.IndexOfMax(buffers.Inference.Logits.Slice(i * classes, classes));
            }
            NetworkWorkspace values = buffers.Values ?? buffers.Inference;
            if (buffers.Values is not null)
            {
                network.Forward(images, count, buffers.Values);
            }

            measured[b] = new UnitMeasure[activationIndices.Length];
            for (int a = 0; a < activationIndices.Length; a++)
            {
                int index = activationIndices[a];
                var layer = (ActivationLayer)network.Layers[index];
                int length = count * layer.Output.Size;
                ReadOnlySpan<float> parameters = network.Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount);
                // dy = 1 makes the backward pass's input gradient f′ itself, as training computes it.
                Span<float> derivative = buffers.Derivative.AsSpan(0, length);
                layer.Backward(parameters, values.Values[index], values.Values[index + 1], buffers.Ones.AsSpan(0, length), derivative,
                    buffers.SlopeGradient.AsSpan(0, layer.ParameterCount), count, values.Scratch[index]);
                measured[b][a] = UnitMeasure.Of(values.Values[index + 1].AsSpan(0, length), derivative, layer.Output.Channels);
            }
            return buffers;
        }, _ => { });

        var layers = new List<LayerUnits>();
        for (int a = 0; a < activationIndices.Length; a++)
        {
            var layer = (ActivationLayer)network.Layers[activationIndices[a]];
            UnitMeasure total = measured[0][a];
            for (int b = 1; b < blocks; b++)
            {
                total = total.Merge(measured[b][a]);
            }
            layers.Add(total.Count(layer.Units));
        }
        return (new Evaluation(predictions, digits.Labels), new UnitSnapshot(epoch, layers));
    }

    /// <summary>One thread's workspaces and the spans the backward pass is given to compute f′.</summary>
    private sealed class Buffers
    {
        public Buffers(Network network, int block, int largestLayer, bool needsInput)
        {
            Inference = network.CreateInferenceWorkspace(block);
            // A training workspace without a Random keeps every layer's values and adds no noise or dropout.
            Values = needsInput ? network.CreateWorkspace(block) : null;
            Ones = new float[block * largestLayer];
            Array.Fill(Ones, 1f);
            Derivative = new float[block * largestLayer];
            SlopeGradient = new float[network.ActivationLayers.Select(static l => l.ParameterCount).DefaultIfEmpty(0).Max()];
        }

        public NetworkWorkspace Inference { get; }

        public NetworkWorkspace? Values { get; }

        public float[] Ones { get; }

        public float[] Derivative { get; }

        public float[] SlopeGradient { get; }
    }

    /// <summary>Per unit, over some of the images: whether f′ ever reached ε, Σ|y|, and the count, mean and spread of y.</summary>
    private sealed class UnitMeasure
    {
        private readonly bool[] alive;
        private readonly double[] magnitude;
        private readonly double[] mean;
        private readonly double[] squares;
        private long values;

        private UnitMeasure(int units)
        {
            alive = new bool[units];
            magnitude = new double[units];
            mean = new double[units];
            squares = new double[units];
        }

        /// <summary>The measures of channels-last values: unit c owns every value whose index is c modulo the unit count.</summary>
        public static UnitMeasure Of(ReadOnlySpan<float> output, ReadOnlySpan<float> derivative, int units)
        {
            var measure = new UnitMeasure(units) { values = output.Length / units };
            var partial = new float[units];
            var sum = new double[units];
            for (int start = 0; start < output.Length; start += units)
            {
                ReadOnlySpan<float> position = output.Slice(start, units);
                ReadOnlySpan<float> slope = derivative.Slice(start, units);
                for (int u = 0; u < units; u++)
                {
                    partial[u] += MathF.Abs(position[u]);
                    sum[u] += position[u];
                    measure.alive[u] |= !(MathF.Abs(slope[u]) < DeadDerivativeThreshold);
                }
            }
            for (int u = 0; u < units; u++)
            {
                measure.magnitude[u] = partial[u];
                measure.mean[u] = measure.values == 0 ? 0 : sum[u] / measure.values;
            }
            // Squares about the block's own mean: no cancellation, whatever the mean.
            for (int start = 0; start < output.Length; start += units)
            {
                ReadOnlySpan<float> position = output.Slice(start, units);
                for (int u = 0; u < units; u++)
                {
                    double deviation = position[u] - measure.mean[u];
                    measure.squares[u] += deviation * deviation;
                }
            }
            return measure;
        }

        /// <summary>This block and a later one together (Chan et al.'s pairwise update of mean and squares).</summary>
        public UnitMeasure Merge(UnitMeasure later)
        {
            int units = alive.Length;
            var merged = new UnitMeasure(units) { values = values + later.values };
            for (int u = 0; u < units; u++)
            {
                merged.alive[u] = alive[u] || later.alive[u];
                merged.magnitude[u] = magnitude[u] + later.magnitude[u];
                if (merged.values == 0)
                {
                    continue;
                }
                double delta = later.mean[u] - mean[u];
                merged.mean[u] = mean[u] + delta * later.values / merged.values;
                merged.squares[u] = squares[u] + later.squares[u] + delta * delta * values * later.values / merged.values;
            }
            return merged;
        }

        /// <summary>The layer's counts, each unit against its layer's mean as the thresholds say.</summary>
        public LayerUnits Count(string layer)
        {
            int units = alive.Length;
            double meanMagnitude = magnitude.Average();
            double meanVariance = squares.Average() / Math.Max(1, values);
            int dead = alive.Count(static a => !a);
            int collapsed = squares.Count(s => s / Math.Max(1, values) <= CollapsedThreshold * meanVariance);
            int dormant = magnitude.Count(m => m <= DormantThreshold * meanMagnitude);
            return new LayerUnits(layer, units, dead, dormant, collapsed);
        }
    }
}
