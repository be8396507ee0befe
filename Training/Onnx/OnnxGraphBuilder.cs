using Google.Protobuf;
using Onnx;

namespace Training.Onnx;

/// <summary>
/// Builds a single-graph ONNX model (float tensors, default operator domain, opset
/// <see cref="OpsetVersion"/>) as an ONNX <c>ModelProto</c> and serializes it.
/// </summary>
/// <remarks>
/// Each <c>Add</c> call copies what it is given into the graph, so the builder keeps no reference
/// to the caller's arrays. Nodes must be added in topological order (every input produced before it
/// is consumed), as the ONNX format requires; the builder does not reorder them.
/// </remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>
    /// The ONNX IR version written into models. IR 8 is the version released with opset 17
    /// (ONNX 1.12), so any runtime that implements opset 17 also reads it.
    /// </summary>
    public const long IrVersion = 8;

    /// <summary>The version of the default (<c>ai.onnx</c>) operator set the model imports.</summary>
    public const long OpsetVersion = 17;

    /// <summary>The <c>producer_name</c> written into models.</summary>
    public const string ProducerName = "digits-engine";

    private readonly GraphProto _graph = new();

    // Every value may have one producer (initializer, graph input or node output); catching a
    // second one here gives a clearer message than the runtime's load-time error.
    private readonly HashSet<string> _definedValues = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name, shown by model viewers.</param>
    /// <exception cref="ArgumentException"><paramref name="graphName"/> is null, empty or white space.</exception>
    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph.Name = graphName;
    }

    /// <summary>The graph's name.</summary>
    public string GraphName => _graph.Name;

    /// <summary>
    /// The <c>producer_version</c> written into models: the Training assembly's version, without
    /// build metadata so that the same weights always give the same bytes.
    /// </summary>
    public static string ProducerVersion { get; } =
        typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Adds a constant float tensor (weights, biases, scalars) to the graph.</summary>
    /// <param name="name">The value name nodes use to refer to the tensor.</param>
    /// <param name="dims">The shape; empty for a scalar.</param>
    /// <param name="values">The elements in row-major order; stored as little-endian <c>raw_data</c>.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or already defined, a dimension is negative, or the
    /// number of values differs from the product of <paramref name="dims"/>.
    /// </exception>
    public void AddInitializer(string name, ReadOnlySpan<int> dims, ReadOnlySpan<float> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        long elementCount = 1;
        var dims64 = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
            {
                throw new ArgumentException($"Initializer '{name}' has negative dimension {dims[i]}.", nameof(dims));
            }

            dims64[i] = dims[i];
            elementCount *= dims[i];
        }

        if (elementCount != values.Length)
        {
            throw new ArgumentException(
                $"Initializer '{name}' has shape [{string.Join(", ", dims64)}] ({elementCount} elements) but {values.Length} values.",
                nameof(values));
        }

        Define(name);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = LittleEndianBytes(values) };
        tensor.Dims.AddRange(dims64);
        _graph.Initializer.Add(tensor);
    }

    /// <summary>Adds an operator node from the default ONNX domain.</summary>
    /// <param name="opType">The operator, e.g. <c>Conv</c>.</param>
    /// <param name="inputs">Input value names in the operator's order; an empty name skips an optional input.</param>
    /// <param name="outputs">Output value names in the operator's order.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <returns>The node's generated name (<c>{opType}_{index}</c>), unique within the graph.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="opType"/> is empty, there are no outputs, or an output name is empty or already defined.
    /// </exception>
    /// <exception cref="ArgumentNullException">An argument or array element is null.</exception>
    public string AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        if (outputs.Length == 0)
        {
            throw new ArgumentException($"A {opType} node needs at least one output.", nameof(outputs));
        }

        foreach (string input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
        }

        foreach (OnnxAttribute attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
        }

        // Check every output before defining any, so a rejected node leaves the graph unchanged.
        foreach (string output in outputs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(output, nameof(outputs));
            if (_definedValues.Contains(output) || Array.IndexOf(outputs, output) != Array.LastIndexOf(outputs, output))
            {
                throw new ArgumentException($"Value '{output}' is already defined in graph '{GraphName}'.", nameof(outputs));
            }
        }

        foreach (string output in outputs)
        {
            Define(output);
        }

        string nodeName = $"{opType}_{_graph.Node.Count}";
        var node = new NodeProto { Name = nodeName, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(static a => a.ToProto()));
        _graph.Node.Add(node);
        return nodeName;
    }

    /// <summary>Declares a float tensor the caller feeds in at run time.</summary>
    /// <param name="name">The input name.</param>
    /// <param name="shape">The shape; use <see cref="OnnxDimension.Symbolic"/> for sizes chosen at run time.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already defined.</exception>
    public void AddInput(string name, params OnnxDimension[] shape)
    {
        Define(name);
        _graph.Input.Add(FloatValueInfo(name, shape));
    }

    /// <summary>Declares a float tensor the graph returns; it must be produced by a node or initializer.</summary>
    /// <param name="name">The output name.</param>
    /// <param name="shape">The shape; use <see cref="OnnxDimension.Symbolic"/> for sizes chosen at run time.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public void AddOutput(string name, params OnnxDimension[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _graph.Output.Add(FloatValueInfo(name, shape));
    }

    /// <summary>Serializes the model: header, opset import, graph and metadata.</summary>
    /// <param name="metadata">
    /// Key/value pairs stored as <c>metadata_props</c> (read back by ONNX Runtime as custom
    /// metadata). Written in ordinal key order so equal inputs give equal bytes.
    /// </param>
    /// <returns>The bytes of an ONNX <c>ModelProto</c>, ready to save as a <c>.onnx</c> file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metadata"/> or one of its values is null.</exception>
    /// <exception cref="InvalidOperationException">The graph has no outputs.</exception>
    public byte[] ToModelBytes(IReadOnlyDictionary<string, string> metadata) => ToModel(metadata).ToByteArray();

    /// <summary>The model as a protobuf message: header, opset import, a copy of the graph and metadata.</summary>
    /// <inheritdoc cref="ToModelBytes" path="/param"/>
    /// <inheritdoc cref="ToModelBytes" path="/exception"/>
    internal ModelProto ToModel(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException($"Graph '{GraphName}' has no outputs; add one with {nameof(AddOutput)}.");
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = _graph.Clone(),
        };
        // The empty domain is the standard ai.onnx operator set.
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach ((string key, string value) in metadata.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            ArgumentNullException.ThrowIfNull(value, nameof(metadata));
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private void Define(string valueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(valueName);
        if (!_definedValues.Add(valueName))
        {
            throw new ArgumentException($"Value '{valueName}' is already defined in graph '{GraphName}'.", nameof(valueName));
        }
    }

    private static ValueInfoProto FloatValueInfo(string name, OnnxDimension[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var tensorShape = new TensorShapeProto();
        foreach (OnnxDimension dimension in shape)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (dimension.Symbol is { } symbol)
            {
                dim.DimParam = symbol;
            }
            else if (dimension.Size is { } size)
            {
                dim.DimValue = size;
            }

            tensorShape.Dim.Add(dim);
        }

        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    // ONNX stores raw_data little-endian whatever the machine's byte order; the array is wrapped, not copied, as nothing else holds it.
    private static ByteString LittleEndianBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
