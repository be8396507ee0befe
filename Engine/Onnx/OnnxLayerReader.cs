using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Engine.Activations;
using Engine.Networks;
using Onnx;

namespace Engine.Onnx;

/// <summary>
/// Follows an ONNX graph from its image input to its Softmax and names the layers it passes: Conv, an
/// activation's operator or subgraph (as its <see cref="OnnxActivationForm"/> declares it), LRN, MaxPool, Flatten
/// and Gemm. Every attribute a layer depends on and every initializer's type and shape is checked on the way.
/// </summary>
/// <remarks>
/// The graph must be one chain: each value feeds one node, except within an activation's subgraph, which may fork
/// and join again. Anything else stops the walk with an <see cref="InvalidDataException"/> whose message says why
/// in a short phrase.
/// </remarks>
internal sealed class OnnxLayerReader
{
    /// <summary>The oldest default-domain opset whose operators the reader knows the meaning of.</summary>
    public const long MinimumOpset = 13;

    // Far beyond any digit network, and small enough that a product of four never overflows a long.
    private const long MaxElements = 1 << 28;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _consumers = new(StringComparer.Ordinal);
    private readonly bool[] _visited;
    private readonly List<ImportedLayer> _layers = [];
    private readonly OnnxActivationMatcher _matcher;
    private string? _activationId;
    private int _activationNode;

    private OnnxLayerReader(GraphProto graph)
    {
        _graph = graph;
        _visited = new bool[graph.Node.Count];
        foreach (TensorProto initializer in graph.Initializer)
        {
            _initializers[initializer.Name] = initializer;
        }
        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string input in graph.Node[i].Input.Distinct())
            {
                if (!_consumers.TryGetValue(input, out List<int>? consumers))
                {
                    _consumers[input] = consumers = [];
                }
                consumers.Add(i);
            }
        }
        _matcher = new OnnxActivationMatcher(graph, _initializers, _consumers, _visited);
    }

    /// <summary>The layers of <paramref name="model"/>'s graph, in order, and the activation id they share.</summary>
    /// <exception cref="InvalidDataException">The graph is not a chain of layers the managed networks have.</exception>
    public static (string ActivationId, IReadOnlyList<ImportedLayer> Layers) Read(ModelProto model)
    {
        if (model.Graph is not { } graph || graph.Node.Count == 0)
        {
            throw Unsupported("the model has no graph");
        }
        CheckOpset(model);
        var reader = new OnnxLayerReader(graph);
        reader.Walk();
        return (reader._activationId ?? throw Unsupported("the graph has no activation"), reader._layers);
    }

    private static void CheckOpset(ModelProto model)
    {
        OperatorSetIdProto? opset = model.OpsetImport.FirstOrDefault(static o => IsDefaultDomain(o.Domain));
        if (opset is null)
        {
            throw Unsupported("the model imports no version of the standard operator set");
        }
        if (opset.Version < MinimumOpset)
        {
            throw Unsupported($"the model imports opset {opset.Version}; the importer reads opset {MinimumOpset} and later");
        }
    }

    private void Walk()
    {
        string current = ReadInput();
        var shape = new FeatureShape(NetworkArchitecture.ImageSide, NetworkArchitecture.ImageSide, 1);
        bool flat = false;
        bool afterLinear = false;
        while (true)
        {
            List<int> consumers = _consumers.GetValueOrDefault(current) ?? [];
            if (TryReadActivation(current, consumers, shape, flat, out string? activated))
            {
                current = activated;
                afterLinear = false;
                continue;
            }
            if (consumers.Count != 1)
            {
                throw Unsupported(consumers.Count == 0
                    ? $"value '{current}' feeds no node, but the graph must end in Softmax"
                    : $"value '{current}' feeds {consumers.Count} nodes; the managed networks are a single chain");
            }

            int index = consumers[0];
            NodeProto node = _graph.Node[index];
            Visit(index, node, current);
            switch (node.OpType)
            {
                case "Conv":
                    RequireSpatial(index, node, flat);
                    shape = ReadConvolution(index, node, shape);
                    afterLinear = true;
                    break;
                case "LRN":
                    RequireSpatial(index, node, flat);
                    ReadNormalization(index, node);
                    afterLinear = false;
                    break;
                case "MaxPool":
                    RequireSpatial(index, node, flat);
                    shape = ReadPooling(index, node, shape);
                    afterLinear = false;
                    break;
                case "Flatten":
                    RequireOnly(index, node, "axis");
                    RequireInt(index, node, "axis", 1, 1);
                    flat = true;
                    afterLinear = false;
                    break;
                case "Gemm":
                    if (!flat)
                    {
                        throw Unsupported($"{Name(index, node)} reads a {shape} feature map that was not flattened");
                    }
                    shape = ReadDense(index, node, shape);
                    flat = true;
                    afterLinear = true;
                    break;
                case "Softmax":
                    ReadSoftmax(index, node, afterDense: afterLinear && flat);
                    CheckNothingElse();
                    return;
                default:
                    throw Unsupported(afterLinear
                        ? $"{Name(index, node)} is not an activation the managed backend runs"
                        : $"{Name(index, node)} is not an operator the managed backend runs");
            }
            current = node.Output[0];
        }
    }

    private string ReadInput()
    {
        ValueInfoProto[] inputs = [.. _graph.Input.Where(i => !_initializers.ContainsKey(i.Name))];
        if (inputs.Length != 1)
        {
            throw Unsupported($"the graph has {inputs.Length} inputs; the managed networks read one image tensor");
        }
        ValueInfoProto input = inputs[0];
        if (input.Type?.TensorType is not { } tensor)
        {
            throw Unsupported($"input '{input.Name}' is not a tensor");
        }
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw Unsupported($"input '{input.Name}' holds {DataTypeName(tensor.ElemType)}, not float");
        }
        long[] expected = [1, NetworkArchitecture.ImageSide, NetworkArchitecture.ImageSide];
        IList<TensorShapeProto.Types.Dimension> dims = tensor.Shape?.Dim ?? [];
        bool matches = dims.Count == 4
            && !(dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[0].DimValue < 1)
            && dims.Skip(1).Select(static d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).SequenceEqual(expected);
        if (!matches)
        {
            string actual = string.Join(",", dims.Select(static d => d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(CultureInfo.InvariantCulture),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
                _ => "?",
            }));
            throw Unsupported($"input '{input.Name}' has shape [{actual}]; the managed networks read [N,1,28,28]");
        }
        return input.Name;
    }

    private FeatureShape ReadConvolution(int index, NodeProto node, FeatureShape input)
    {
        RequireOnly(index, node, "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        RequireInputs(index, node, 3);
        TensorProto weightTensor = Initializer(index, node, 1);
        if (weightTensor.Dims.Count != 4 || weightTensor.Dims[2] != weightTensor.Dims[3] || weightTensor.Dims[1] != input.Channels)
        {
            throw Unsupported($"{Name(index, node)} weight '{weightTensor.Name}' has shape {Shape(weightTensor.Dims)}; expected [filters,{input.Channels},k,k]");
        }
        int filters = Dimension(index, node, weightTensor, 0);
        int kernel = Dimension(index, node, weightTensor, 2);
        float[] weight = ReadFloats(index, node, weightTensor, [filters, input.Channels, kernel, kernel]);
        float[] bias = ReadFloats(index, node, Initializer(index, node, 2), [filters]);

        RequireInts(index, node, "kernel_shape", [kernel, kernel], [kernel, kernel]);
        RequireInts(index, node, "strides", [1, 1], [1, 1]);
        RequireInts(index, node, "dilations", [1, 1], [1, 1]);
        RequireInt(index, node, "group", 1, 1);
        RequireString(index, node, "auto_pad", "NOTSET");
        long[] pads = Ints(index, node, "pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Any(p => p != pads[0]) || pads[0] < 0 || pads[0] >= kernel)
        {
            throw Unsupported($"{Name(index, node)} pads {Shape(pads)} are not one padding below the kernel size on every side");
        }
        int padding = (int)pads[0];
        int height = input.Height + 2 * padding - kernel + 1, width = input.Width + 2 * padding - kernel + 1;
        if (height < 1 || width < 1)
        {
            throw Unsupported($"{Name(index, node)} kernel {kernel}×{kernel} is larger than its padded {input} input");
        }

        _layers.Add(new ImportedConvolution(index, input, kernel, filters, padding, weight, bias));
        return new FeatureShape(height, width, filters);
    }

    private void ReadNormalization(int index, NodeProto node)
    {
        RequireOnly(index, node, "size", "alpha", "beta", "bias");
        long size = Int(index, node, "size") ?? throw Unsupported($"{Name(index, node)} has no size");
        if (size < 1 || size > int.MaxValue)
        {
            throw Unsupported($"{Name(index, node)} size {size} is not a positive window");
        }
        // The defaults are those of the ONNX operator.
        float alpha = Float(index, node, "alpha") ?? 1e-4f;
        float beta = Float(index, node, "beta") ?? 0.75f;
        float bias = Float(index, node, "bias") ?? 1f;
        _layers.Add(new ImportedNormalization(index, (int)size, alpha, beta, bias));
    }

    private FeatureShape ReadPooling(int index, NodeProto node, FeatureShape input)
    {
        RequireOnly(index, node, "kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order");
        const int window = MaxPoolLayer.Window;
        RequireInts(index, node, "kernel_shape", null, [window, window]);
        RequireInts(index, node, "strides", [1, 1], [window, window]);
        RequireInts(index, node, "pads", [0, 0, 0, 0], [0, 0, 0, 0]);
        RequireInts(index, node, "dilations", [1, 1], [1, 1]);
        RequireInt(index, node, "ceil_mode", 0, 0);
        RequireString(index, node, "auto_pad", "NOTSET");
        if (input.Height < window || input.Width < window)
        {
            throw Unsupported($"{Name(index, node)} pools a {input} map smaller than its window");
        }
        _layers.Add(new ImportedPooling(index, input));
        return new FeatureShape(input.Height / window, input.Width / window, input.Channels);
    }

    private FeatureShape ReadDense(int index, NodeProto node, FeatureShape input)
    {
        RequireOnly(index, node, "transA", "transB", "alpha", "beta");
        RequireInputs(index, node, 3);
        RequireInt(index, node, "transA", 0, 0);
        RequireInt(index, node, "transB", 0, 1);
        RequireFloat(index, node, "alpha", 1f);
        RequireFloat(index, node, "beta", 1f);
        TensorProto weightTensor = Initializer(index, node, 1);
        if (weightTensor.Dims.Count != 2 || weightTensor.Dims[1] != input.Size)
        {
            throw Unsupported($"{Name(index, node)} weight '{weightTensor.Name}' has shape {Shape(weightTensor.Dims)}; expected [units,{input.Size}]");
        }
        int units = Dimension(index, node, weightTensor, 0);
        float[] weight = ReadFloats(index, node, weightTensor, [units, input.Size]);
        float[] bias = ReadFloats(index, node, Initializer(index, node, 2), [units]);
        _layers.Add(new ImportedDense(index, input, units, weight, bias));
        return FeatureShape.Vector(units);
    }

    private void ReadSoftmax(int index, NodeProto node, bool afterDense)
    {
        RequireOnly(index, node, "axis");
        if (!afterDense)
        {
            throw Unsupported($"{Name(index, node)} does not follow the last Gemm");
        }
        long axis = Int(index, node, "axis") ?? -1;
        if (axis is not (1 or -1))
        {
            throw Unsupported($"{Name(index, node)} axis is {axis}, not the class axis 1");
        }
        if (!_graph.Output.Any(o => o.Name == node.Output[0]))
        {
            throw Unsupported($"{Name(index, node)} output '{node.Output[0]}' is not a graph output");
        }
    }

    /// <summary>
    /// Recognises the activation whose form begins where <paramref name="input"/> feeds <paramref name="consumers"/>;
    /// on success <paramref name="output"/> is the value the activation writes. False when no activation's form
    /// begins with those operators; an activation whose form begins so but differs further on is refused.
    /// </summary>
    private bool TryReadActivation(string input, List<int> consumers, FeatureShape shape, bool flat, [NotNullWhen(true)] out string? output)
    {
        output = null;
        string[] operators = [.. consumers.Select(i => _graph.Node[i].OpType).Order(StringComparer.Ordinal)];
        // Activations that are one function in a graph (noisy_relu is relu there) are tried once, as the first.
        ActivationFunction[] candidates = [.. ActivationFunctions.All
            .DistinctBy(static a => a.OnnxForm.Description)
            .Where(a => a.OnnxForm.EntryOperators.SequenceEqual(operators, StringComparer.Ordinal))];
        if (candidates.Length == 0)
        {
            return false;
        }

        int[] slopeDimensions = flat ? [shape.Size] : [shape.Channels, 1, 1];
        (int Depth, string Reason) furthest = (-1, "");
        foreach (ActivationFunction candidate in candidates)
        {
            if (_matcher.TryMatch(candidate.Id, candidate.OnnxForm, input, slopeDimensions, out OnnxActivationMatch? match, out var failure))
            {
                foreach (int node in match.Nodes)
                {
                    _visited[node] = true;
                }
                AddActivation(match.Nodes[0], _graph.Node[match.Nodes[0]], candidate.Id, match.Slopes);
                output = match.Output;
                return true;
            }
            if (failure.Depth > furthest.Depth)
            {
                furthest = failure;
            }
        }
        throw Unsupported(furthest.Reason);
    }

    private void AddActivation(int index, NodeProto node, string id, float[]? slopes)
    {
        if (_activationId is null)
        {
            _activationId = id;
            _activationNode = index;
        }
        else if (_activationId != id)
        {
            throw Unsupported($"{Name(index, node)} computes {id} but node {_activationNode} computes {_activationId}; a network has one activation");
        }
        _layers.Add(new ImportedActivation(index, id, slopes));
    }

    /// <summary>
    /// Marks a node of a layer as part of the chain after checking it once: standard domain, one output and
    /// <paramref name="input"/> as its one input (for Conv and Gemm its first, the others being the layer's
    /// weights). An activation's nodes are checked against its form instead (<see cref="OnnxActivationMatcher"/>).
    /// </summary>
    private void Visit(int index, NodeProto node, string input)
    {
        if (_visited[index])
        {
            throw Unsupported($"{Name(index, node)} is reached twice; the graph has a cycle");
        }
        _visited[index] = true;
        if (!IsDefaultDomain(node.Domain))
        {
            throw Unsupported($"{Name(index, node)} is from domain '{node.Domain}', not the standard operator set");
        }
        if (node.Output.Count != 1 || node.Output[0].Length == 0)
        {
            throw Unsupported($"{Name(index, node)} has {node.Output.Count} outputs; the managed layers have one");
        }
        // Conv's and Gemm's other inputs (weights and biases) are checked with the layer.
        int inputCount = node.OpType is "Conv" or "Gemm" ? node.Input.Count : 1;
        if (node.Input.Count != inputCount || node.Input[0] != input)
        {
            throw Unsupported($"{Name(index, node)} does not take '{input}' as its data input");
        }
    }

    private void CheckNothingElse()
    {
        int unvisited = Array.IndexOf(_visited, false);
        if (unvisited >= 0)
        {
            throw Unsupported($"{Name(unvisited, _graph.Node[unvisited])} is not on the path from the input to Softmax");
        }
        var produced = new HashSet<string>(_graph.Node.Select(static n => n.Output[0]), StringComparer.Ordinal);
        ValueInfoProto? stray = _graph.Output.FirstOrDefault(o => !produced.Contains(o.Name));
        if (stray is not null)
        {
            throw Unsupported($"graph output '{stray.Name}' is not computed by the chain");
        }
    }

    private static void RequireSpatial(int index, NodeProto node, bool flat)
    {
        if (flat)
        {
            throw Unsupported($"{Name(index, node)} reads a flattened tensor");
        }
    }

    private static void RequireInputs(int index, NodeProto node, int count)
    {
        if (node.Input.Count != count || node.Input.Any(static i => i.Length == 0))
        {
            throw Unsupported($"{Name(index, node)} has {node.Input.Count(static i => i.Length > 0)} inputs; the importer reads {count} (data, weight, bias)");
        }
    }

    private TensorProto Initializer(int index, NodeProto node, int input)
    {
        string name = node.Input[input];
        return _initializers.TryGetValue(name, out TensorProto? tensor)
            ? tensor
            : throw Unsupported($"{Name(index, node)} input '{name}' is not an initializer");
    }

    private static int Dimension(int index, NodeProto node, TensorProto tensor, int axis)
    {
        long size = tensor.Dims[axis];
        return size is >= 1 and <= MaxElements
            ? (int)size
            : throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' has dimension {size}");
    }

    /// <summary>The elements of a float initializer of shape <paramref name="dims"/>, from raw_data or float_data.</summary>
    internal static float[] ReadFloats(int index, NodeProto node, TensorProto tensor, int[] dims)
    {
        if (!tensor.Dims.SequenceEqual(dims.Select(static d => (long)d)))
        {
            throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' has shape {Shape(tensor.Dims)}, not {Shape(dims.Select(static d => (long)d))}");
        }
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' holds {DataTypeName(tensor.DataType)}, not float");
        }
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' is stored outside the model file");
        }
        long count = 1;
        foreach (int d in dims)
        {
            count *= d;
            if (count > MaxElements)
            {
                throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' is too large");
            }
        }

        // The data's length is checked before anything is allocated, so a few bytes cannot ask for a gigabyte.
        if (tensor.RawData.Length > 0)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            if (raw.Length != count * sizeof(float) || tensor.FloatData.Count > 0)
            {
                throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' has {raw.Length} bytes of data for {count} floats");
            }
            var values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
            }
            return values;
        }
        if (tensor.FloatData.Count != count)
        {
            throw Unsupported($"{Name(index, node)} initializer '{tensor.Name}' has {tensor.FloatData.Count} values for {count} elements");
        }
        return [.. tensor.FloatData];
    }

    internal static void RequireOnly(int index, NodeProto node, params string[] known)
    {
        AttributeProto? unknown = node.Attribute.FirstOrDefault(a => !known.Contains(a.Name, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw Unsupported($"{Name(index, node)} has attribute '{unknown.Name}', which the importer does not read");
        }
        string? repeated = node.Attribute.GroupBy(static a => a.Name).FirstOrDefault(static g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw Unsupported($"{Name(index, node)} sets attribute '{repeated}' twice");
        }
    }

    private static void RequireInts(int index, NodeProto node, string name, long[]? absent, long[] required)
    {
        long[] actual = Ints(index, node, name) ?? absent ?? throw Unsupported($"{Name(index, node)} has no {name}");
        if (!actual.SequenceEqual(required))
        {
            throw Unsupported($"{Name(index, node)} {name} is {Shape(actual)}, not {Shape(required)}");
        }
    }

    private static void RequireInt(int index, NodeProto node, string name, long absent, long required)
    {
        long actual = Int(index, node, name) ?? absent;
        if (actual != required)
        {
            throw Unsupported($"{Name(index, node)} {name} is {actual}, not {required}");
        }
    }

    internal static void RequireFloat(int index, NodeProto node, string name, float absent, float? required = null)
    {
        float actual = Float(index, node, name) ?? absent;
        float expected = required ?? absent;
        if (BitConverter.SingleToInt32Bits(actual) != BitConverter.SingleToInt32Bits(expected))
        {
            throw Unsupported(string.Create(CultureInfo.InvariantCulture, $"{Name(index, node)} {name} is {actual:R}, not {expected:R}"));
        }
    }

    private static void RequireString(int index, NodeProto node, string name, string required)
    {
        AttributeProto? attribute = Attribute(index, node, name, AttributeProto.Types.AttributeType.String);
        string actual = attribute?.S.ToStringUtf8() ?? required;
        if (actual != required)
        {
            throw Unsupported($"{Name(index, node)} {name} is '{actual}', not '{required}'");
        }
    }

    private static long[]? Ints(int index, NodeProto node, string name) =>
        Attribute(index, node, name, AttributeProto.Types.AttributeType.Ints)?.Ints.ToArray();

    private static long? Int(int index, NodeProto node, string name) =>
        Attribute(index, node, name, AttributeProto.Types.AttributeType.Int)?.I;

    private static float? Float(int index, NodeProto node, string name) =>
        Attribute(index, node, name, AttributeProto.Types.AttributeType.Float)?.F;

    private static AttributeProto? Attribute(int index, NodeProto node, string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null && attribute.Type != type)
        {
            throw Unsupported($"{Name(index, node)} attribute '{name}' is of type {attribute.Type}, not {type}");
        }
        return attribute;
    }

    internal static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    internal static string Name(int index, NodeProto node) => $"node {index} '{node.OpType}'";

    private static string Shape(IEnumerable<long> dims) => $"[{string.Join(",", dims)}]";

    private static string DataTypeName(int dataType) =>
        Enum.IsDefined((TensorProto.Types.DataType)dataType) ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant() : $"data type {dataType}";

    private static InvalidDataException Unsupported(string reason) => new(reason);
}
