using Engine.Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Training.Onnx;

/// <summary>
/// Writes an activation's <see cref="OnnxActivationForm"/> into a graph. The form itself stays in Engine beside the
/// activation's kernels, where the importer reads the same declaration; only writing it is the exporter's part.
/// </summary>
internal static class OnnxActivationFormWriter
{
    /// <summary>
    /// Adds the nodes of <paramref name="form"/> to <paramref name="graph"/>, reading <paramref name="input"/> and writing <paramref name="output"/>,
    /// with intermediate values and constants named <c>{prefix}.{name}</c> and a learned slope
    /// <c>{prefix}.slope</c> of shape <paramref name="slopeDimensions"/> holding <paramref name="slopes"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The form reads a learned slope and <paramref name="slopes"/> does not fill <paramref name="slopeDimensions"/>.</exception>
    public static void Write(this OnnxActivationForm form, OnnxGraphBuilder graph, string prefix, string input, string output, ReadOnlySpan<float> slopes, ReadOnlySpan<int> slopeDimensions)
    {
        var constants = new HashSet<string>(StringComparer.Ordinal);
        bool slopeWritten = false;
        for (int i = 0; i < form.Nodes.Count; i++)
        {
            OnnxActivationNode node = form.Nodes[i];
            var inputs = new string[node.Inputs.Length];
            for (int j = 0; j < inputs.Length; j++)
            {
                switch (node.Inputs[j])
                {
                    case InputOperand:
                        inputs[j] = input;
                        break;
                    case ValueOperand value:
                        inputs[j] = $"{prefix}.{value.Name}";
                        break;
                    case ConstantOperand constant:
                        inputs[j] = $"{prefix}.{constant.Name}";
                        if (constants.Add(constant.Name))
                        {
                            graph.AddInitializer(inputs[j], [], [constant.Scalar]);
                        }
                        break;
                    case SlopeOperand:
                        inputs[j] = $"{prefix}.slope";
                        if (!slopeWritten)
                        {
                            graph.AddInitializer(inputs[j], slopeDimensions, slopes);
                            slopeWritten = true;
                        }
                        break;
                }
            }
            string result = i == form.Nodes.Count - 1 ? output : $"{prefix}.{node.Output}";
            graph.AddNode(node.OpType, inputs, [result], [.. node.Attributes.Select(static a => OnnxAttribute.Float(a.Name, a.Value))]);
        }
    }
}
