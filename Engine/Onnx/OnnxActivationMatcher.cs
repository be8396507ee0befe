using System.Diagnostics.CodeAnalysis;
using Onnx;
using static Engine.Onnx.OnnxOperand;

namespace Engine.Onnx;

/// <summary>
/// Finds an activation's <see cref="OnnxActivationForm"/> in a graph, starting from the value the activation reads:
/// the same operators, fed the same way (either order for Add, Mul, Min and Max), with the same constants and
/// attributes (an absent attribute counts as the operator's default), and no value of the form read from outside it.
/// </summary>
/// <remarks>
/// The graph's nodes are tried against the form's in order, backing up where a node fits in more than one place
/// (GELU's x feeds three Mul nodes). Nothing is marked as read until the whole form has matched. When it does not,
/// the reason given is the one from the attempt that got furthest, which names the node and what differs.
/// </remarks>
internal sealed class OnnxActivationMatcher(
    GraphProto graph,
    IReadOnlyDictionary<string, TensorProto> initializers,
    IReadOnlyDictionary<string, List<int>> consumers,
    bool[] visited)
{
    /// <summary>Matches the form of one activation, starting from the value it reads.</summary>
    /// <param name="id">The activation's id, for messages.</param>
    /// <param name="form">The activation's form.</param>
    /// <param name="input">The value the activation reads.</param>
    /// <param name="slopeDimensions">The shape a learned slope must have where the activation stands.</param>
    /// <param name="match">On success: the graph's nodes in the form's order, the activation's output and the slopes read.</param>
    /// <param name="failure">Otherwise: how many of the form's nodes matched before the furthest failure, and why it failed.</param>
    public bool TryMatch(
        string id,
        OnnxActivationForm form,
        string input,
        IReadOnlyList<int> slopeDimensions,
        [NotNullWhen(true)] out OnnxActivationMatch? match,
        out (int Depth, string Reason) failure)
    {
        var attempt = new Attempt(id, form, input, slopeDimensions);
        failure = (-1, $"the {id} subgraph does not match");
        if (!Extend(attempt, 0, ref failure))
        {
            match = null;
            return false;
        }
        match = new OnnxActivationMatch(attempt.Nodes, graph.Node[attempt.Nodes[^1]].Output[0], attempt.Slopes);
        return true;
    }

    private bool Extend(Attempt attempt, int step, ref (int Depth, string Reason) failure)
    {
        if (step == attempt.Form.Nodes.Count)
        {
            return IsClosed(attempt, ref failure);
        }
        OnnxActivationNode expected = attempt.Form.Nodes[step];
        // A value of the form narrows the candidates more than x, which may feed several of its nodes.
        string anchor = attempt.Resolve(expected.Inputs.FirstOrDefault(static i => i is ValueOperand) ?? X);
        List<int> candidates = [.. (consumers.GetValueOrDefault(anchor) ?? []).Where(i => !visited[i] && !attempt.Used.Contains(i))];
        bool sameOperator = false;
        foreach (int index in candidates)
        {
            NodeProto node = graph.Node[index];
            if (node.OpType != expected.OpType)
            {
                continue;
            }
            sameOperator = true;
            if (!TryBind(attempt, expected, index, node, out float[]? slopes, out string? reason))
            {
                Record(ref failure, step, reason);
                continue;
            }
            float[]? previousSlopes = attempt.Slopes;
            attempt.Nodes[step] = index;
            attempt.Used.Add(index);
            attempt.Values[expected.Output] = node.Output[0];
            attempt.Slopes = slopes ?? attempt.Slopes;
            if (Extend(attempt, step + 1, ref failure))
            {
                return true;
            }
            attempt.Used.Remove(index);
            attempt.Values.Remove(expected.Output);
            attempt.Slopes = previousSlopes;
        }
        if (!sameOperator)
        {
            string fed = candidates.Count == 0 ? "no other node" : string.Join(" and ", candidates.Select(i => OnnxLayerReader.Name(i, graph.Node[i])));
            Record(ref failure, step, $"value '{anchor}' feeds {fed} where the {attempt.Id} subgraph has {expected.OpType}");
        }
        return false;
    }

    /// <summary>Whether <paramref name="node"/> is <paramref name="expected"/> here: domain, output, inputs, constants, slopes, attributes.</summary>
    private bool TryBind(Attempt attempt, OnnxActivationNode expected, int index, NodeProto node, out float[]? slopes, [NotNullWhen(false)] out string? reason)
    {
        slopes = null;
        string name = OnnxLayerReader.Name(index, node);
        if (!OnnxLayerReader.IsDefaultDomain(node.Domain))
        {
            reason = $"{name} is from domain '{node.Domain}', not the standard operator set";
            return false;
        }
        if (node.Output.Count != 1 || node.Output[0].Length == 0)
        {
            reason = $"{name} has {node.Output.Count} outputs; the managed layers have one";
            return false;
        }
        OnnxOperand[] operands = expected.Inputs;
        if (node.Input.Count != operands.Length)
        {
            reason = $"{name} has {node.Input.Count} inputs where the {attempt.Id} subgraph's {expected.OpType} has {operands.Length}";
            return false;
        }

        reason = null;
        bool bound = TryBindInputs(attempt, operands, index, node, [.. node.Input], out slopes, ref reason);
        if (!bound && operands.Length == 2 && OnnxActivationForm.Commutative.Contains(expected.OpType))
        {
            bound = TryBindInputs(attempt, operands, index, node, [node.Input[1], node.Input[0]], out slopes, ref reason);
        }
        if (!bound)
        {
            reason ??= $"{name} does not read {string.Join(" and ", operands.Select(o => $"'{Describe(attempt, o)}'"))} as the {attempt.Id} subgraph's {expected.OpType} does";
            return false;
        }

        try
        {
            OnnxLayerReader.RequireOnly(index, node, [.. expected.Attributes.Select(static a => a.Name)]);
            foreach (OnnxFloatAttribute attribute in expected.Attributes)
            {
                OnnxLayerReader.RequireFloat(index, node, attribute.Name, attribute.OperatorDefault, attribute.Value);
            }
        }
        catch (InvalidDataException error)
        {
            reason = error.Message;
            return false;
        }
        return true;
    }

    // The first reason met (a wrong constant or slope) is kept: it says more than "does not read".
    private bool TryBindInputs(Attempt attempt, OnnxOperand[] operands, int index, NodeProto node, string[] inputs, out float[]? slopes, ref string? reason)
    {
        slopes = null;
        for (int i = 0; i < operands.Length; i++)
        {
            switch (operands[i])
            {
                case InputOperand or ValueOperand:
                    if (inputs[i] != attempt.Resolve(operands[i]))
                    {
                        return false;
                    }
                    break;
                case ConstantOperand constant:
                    if (!IsConstant(inputs[i], constant.Scalar))
                    {
                        reason ??= $"{OnnxLayerReader.Name(index, node)} input '{inputs[i]}' is not the constant {constant} of the {attempt.Id} subgraph";
                        return false;
                    }
                    break;
                case SlopeOperand:
                    if (!initializers.TryGetValue(inputs[i], out TensorProto? tensor))
                    {
                        reason ??= $"{OnnxLayerReader.Name(index, node)} slope '{inputs[i]}' is not an initializer";
                        return false;
                    }
                    try
                    {
                        slopes = OnnxLayerReader.ReadFloats(index, node, tensor, [.. attempt.SlopeDimensions]);
                    }
                    catch (InvalidDataException error)
                    {
                        reason ??= error.Message;
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a float initializer holding the one value <paramref name="value"/> (shape [] or [1]).</summary>
    private bool IsConstant(string name, float value)
    {
        if (!initializers.TryGetValue(name, out TensorProto? tensor) || tensor.DataType != (int)TensorProto.Types.DataType.Float
            || !(tensor.Dims.Count == 0 || tensor.Dims is [1]))
        {
            return false;
        }
        float[] values;
        try
        {
            values = OnnxLayerReader.ReadFloats(-1, new NodeProto(), tensor, [.. tensor.Dims.Select(static d => (int)d)]);
        }
        catch (InvalidDataException)
        {
            return false;
        }
        return values is [float only] && BitConverter.SingleToInt32Bits(only) == BitConverter.SingleToInt32Bits(value);
    }

    /// <summary>Whether x and every value inside the form feed only the form's own nodes.</summary>
    private bool IsClosed(Attempt attempt, ref (int Depth, string Reason) failure)
    {
        IEnumerable<string> inner = attempt.Nodes[..^1].Select(i => graph.Node[i].Output[0]).Prepend(attempt.Input);
        foreach (string value in inner)
        {
            int outside = (consumers.GetValueOrDefault(value) ?? []).FirstOrDefault(i => !attempt.Used.Contains(i), -1);
            if (outside >= 0)
            {
                Record(ref failure, attempt.Form.Nodes.Count, $"value '{value}' also feeds {OnnxLayerReader.Name(outside, graph.Node[outside])}, outside the {attempt.Id} subgraph");
                return false;
            }
        }
        return true;
    }

    private static void Record(ref (int Depth, string Reason) failure, int depth, string reason)
    {
        if (depth > failure.Depth)
        {
            failure = (depth, reason);
        }
    }

    private static string Describe(Attempt attempt, OnnxOperand operand) => operand switch
    {
        InputOperand or ValueOperand => attempt.Resolve(operand),
        _ => operand.ToString()!,
    };

    /// <summary>One try at the form: which graph node each of its nodes is, so far, and what its values are called.</summary>
    private sealed class Attempt(string id, OnnxActivationForm form, string input, IReadOnlyList<int> slopeDimensions)
    {
        public string Id { get; } = id;

        public OnnxActivationForm Form { get; } = form;

        public string Input { get; } = input;

        public IReadOnlyList<int> SlopeDimensions { get; } = slopeDimensions;

        public int[] Nodes { get; } = new int[form.Nodes.Count];

        public HashSet<int> Used { get; } = [];

        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public float[]? Slopes { get; set; }

        public string Resolve(OnnxOperand operand) => operand is ValueOperand value ? Values.GetValueOrDefault(value.Name, "") : Input;
    }
}
