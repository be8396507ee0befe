using System.Numerics.Tensors;
using Contracts;
using Engine.Networks;

namespace Engine.Training;

/// <summary>
/// Counts the dead and dormant units of every activation layer (see <see cref="LayerUnits"/>) while
/// classifying a labelled set, in inference mode, in one pass over it.
/// </summary>
public static class UnitCensus
{
    /// <summary>A unit is dormant when its mean |output| is at most this fraction of its layer's mean (Sokar et al., 2023).</summary>
    public const double DormantThreshold = 0.1;

    /// <summary>Classifies <paramref name="digits"/> and counts the units; <paramref name="epoch"/> labels the snapshot.</summary>
    public static (Evaluation Evaluation, UnitSnapshot Units) Take(Network network, PreparedDigits digits, int epoch)
    {
        int[] activationIndices = network.Layers.Select((layer, index) => (layer, index))
            .Where(x => x.layer is ActivationLayer).Select(x => x.index).ToArray();
        int block = Network.InferenceBlock;
        int blocks = (digits.Count + block - 1) / block;
        int classes = network.Classes;
        var predictions = new int[digits.Count];
        // Per block and layer: each unit's largest output and its sum of |output|, summed in block order afterwards
        // so the result does not depend on the thread schedule.
        var largest = new float[blocks][][];
        var magnitude = new double[blocks][][];

        Parallel.For(0, blocks, () => network.CreateInferenceWorkspace(block), (b, _, workspace) =>
        {
            int first = b * block;
            int count = Math.Min(block, digits.Count - first);
            network.Forward(digits.Images.AsSpan(first * network.InputSize, count * network.InputSize), count, workspace);
            for (int i = 0; i < count; i++)
            {
                predictions[first + i] = TensorPrimitives.IndexOfMax(workspace.Logits.Slice(i * classes, classes));
            }
            largest[b] = new float[activationIndices.Length][];
            magnitude[b] = new double[activationIndices.Length][];
            for (int a = 0; a < activationIndices.Length; a++)
            {
                Layer layer = network.Layers[activationIndices[a]];
                (largest[b][a], magnitude[b][a]) = Measure(workspace.Output(activationIndices[a])[..(count * layer.Output.Size)], layer.Output.Channels);
            }
            return workspace;
        }, _ => { });

        var layers = new List<LayerUnits>();
        for (int a = 0; a < activationIndices.Length; a++)
        {
            var layer = (ActivationLayer)network.Layers[activationIndices[a]];
            int units = layer.Output.Channels;
            var unitLargest = new float[units];
            var unitMagnitude = new double[units];
            Array.Fill(unitLargest, float.NegativeInfinity);
            for (int b = 0; b < blocks; b++)
            {
                for (int u = 0; u < units; u++)
                {
                    unitLargest[u] = Math.Max(unitLargest[u], largest[b][a][u]);
                    unitMagnitude[u] += magnitude[b][a][u];
                }
            }
            double layerMean = unitMagnitude.Average();
            int dead = unitLargest.Count(v => !(v > 0));
            int dormant = unitMagnitude.Count(m => m <= DormantThreshold * layerMean);
            layers.Add(new LayerUnits(layer.Units, units, dead, dormant));
        }
        return (new Evaluation(predictions, digits.Labels), new UnitSnapshot(epoch, layers));
    }

    // Channels-last values: unit c owns every value whose index is c modulo the channel count.
    private static (float[] Largest, double[] Magnitude) Measure(ReadOnlySpan<float> values, int units)
    {
        var largest = new float[units];
        var magnitude = new double[units];
        Array.Fill(largest, float.NegativeInfinity);
        var partial = new float[units];
        for (int start = 0; start < values.Length; start += units)
        {
            ReadOnlySpan<float> position = values.Slice(start, units);
            for (int u = 0; u < units; u++)
            {
                float v = position[u];
                largest[u] = MathF.Max(largest[u], v);
                partial[u] += MathF.Abs(v);
            }
        }
        for (int u = 0; u < units; u++)
        {
            magnitude[u] = partial[u];
        }
        return (largest, magnitude);
    }
}
