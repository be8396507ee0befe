using static Engine.Onnx.OnnxOperand;

namespace Engine.Onnx;

/// <summary>
/// How an activation is written in an ONNX graph: a few standard operators from the activation's input x to its
/// output. The Training project's <c>NetworkOnnxExporter</c> writes the nodes as declared and <see cref="OnnxLayerReader"/>
/// recognises the same nodes in any graph, so one declaration, beside the activation's kernels, serves both.
/// </summary>
/// <remarks>
/// Value names are those of the form prefixed with the layer's name (<c>conv1.activation.clamped</c>), constants
/// become scalar initializers named the same way, and a learned slope the initializer <c>{layer}.slope</c>.
/// </remarks>
internal sealed class OnnxActivationForm
{
    /// <summary>Operators whose inputs may come in either order: a reader accepts both.</summary>
    internal static readonly IReadOnlySet<string> Commutative = new HashSet<string>(StringComparer.Ordinal) { "Add", "Mul", "Min", "Max" };

    /// <summary>The form of <paramref name="nodes"/>, in an order where each node's inputs come before it.</summary>
    /// <exception cref="ArgumentException">
    /// No nodes; a node reads a value no earlier node makes, or reads only constants and slopes (so a reader could
    /// not reach it from x); two nodes make the same value; or one constant name has two values.
    /// </exception>
    public OnnxActivationForm(params OnnxActivationNode[] nodes)
    {
        if (nodes.Length == 0)
        {
            throw new ArgumentException("An activation's form needs at least one node.", nameof(nodes));
        }
        var made = new HashSet<string>(StringComparer.Ordinal);
        var constants = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (OnnxActivationNode node in nodes)
        {
            foreach (OnnxOperand input in node.Inputs)
            {
                if (input is ValueOperand value && !made.Contains(value.Name))
                {
                    throw new ArgumentException($"{node.OpType} reads '{value.Name}', which no earlier node makes.", nameof(nodes));
                }
                if (input is ConstantOperand constant)
                {
                    if (constants.TryGetValue(constant.Name, out float other) && BitConverter.SingleToInt32Bits(other) != BitConverter.SingleToInt32Bits(constant.Scalar))
                    {
                        throw new ArgumentException($"Constant '{constant.Name}' has two values.", nameof(nodes));
                    }
                    constants[constant.Name] = constant.Scalar;
                }
            }
            if (!node.Inputs.Any(static i => i is InputOperand or ValueOperand))
            {
                throw new ArgumentException($"{node.OpType} reads neither x nor an earlier node's output.", nameof(nodes));
            }
            if (!made.Add(node.Output))
            {
                throw new ArgumentException($"Two nodes make '{node.Output}'.", nameof(nodes));
            }
        }
        Nodes = nodes;
        HasLearnedSlope = nodes.Any(static n => n.Inputs.Contains(LearnedSlope));
        EntryOperators = [.. nodes.Where(static n => n.Inputs.Contains(X)).Select(static n => n.OpType).Order(StringComparer.Ordinal)];
        OnnxActivationNode first = nodes[0];
        Description = nodes.Length == 1 && first.Inputs.All(static i => i is InputOperand)
            ? first.OpType + (first.Attributes.Length == 0 ? "" : $"({string.Join(", ", first.Attributes.AsEnumerable())})")
            : nodes.Length == 1 ? Expression(0) : $"{Expression(nodes.Length - 1)} — {nodes.Length} nodes";

        string Expression(int index)
        {
            OnnxActivationNode node = nodes[index];
            IEnumerable<string> arguments = node.Inputs.Select(input => input is ValueOperand value
                ? Expression(Array.FindIndex(nodes, n => n.Output == value.Name))
                : input.ToString()!);
            return $"{node.OpType}({string.Join(", ", arguments.Concat(node.Attributes.Select(static a => a.ToString())))})";
        }
    }

    /// <summary>The nodes, each after those whose outputs it reads; the last one gives the activation's output.</summary>
    public IReadOnlyList<OnnxActivationNode> Nodes { get; }

    /// <summary>Whether a node reads the learned slope of each unit.</summary>
    public bool HasLearnedSlope { get; }

    /// <summary>The operators of the nodes that read x, sorted: the first thing a reader compares.</summary>
    public IReadOnlyList<string> EntryOperators { get; }

    /// <summary>
    /// The form as an expression, e.g. <c>Add(Relu(x), Softsign(Min(x, 0))) — 4 nodes</c>, or the operator and
    /// its attributes for one node reading only x, e.g. <c>LeakyRelu(alpha = 0.1)</c>. Two activations whose
    /// descriptions are equal compute the same function in a graph.
    /// </summary>
    public string Description { get; }
}
