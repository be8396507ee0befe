namespace Engine.Onnx;

/// <summary>
/// Field numbers and enum values from onnx.proto for the messages this writer emits.
/// Only what the exporter needs is listed; the numbers are part of the ONNX file format and
/// never change between releases.
/// </summary>
internal static class OnnxProtoFields
{
    internal static class Model
    {
        public const int IrVersion = 1;
        public const int ProducerName = 2;
        public const int ProducerVersion = 3;
        public const int Graph = 7;
        public const int OpsetImport = 8;
        public const int MetadataProps = 14;
    }

    internal static class OperatorSetId
    {
        public const int Domain = 1;
        public const int Version = 2;
    }

    internal static class StringStringEntry
    {
        public const int Key = 1;
        public const int Value = 2;
    }

    internal static class Graph
    {
        public const int Node = 1;
        public const int Name = 2;
        public const int Initializer = 5;
        public const int Input = 11;
        public const int Output = 12;
    }

    internal static class Node
    {
        public const int Input = 1;
        public const int Output = 2;
        public const int Name = 3;
        public const int OpType = 4;
        public const int Attribute = 5;
    }

    internal static class Attribute
    {
        public const int Name = 1;
        public const int F = 2;
        public const int I = 3;
        public const int Ints = 8;
        public const int Type = 20;

        // AttributeProto.AttributeType values.
        public const int TypeFloat = 1;
        public const int TypeInt = 2;
        public const int TypeInts = 7;
    }

    internal static class Tensor
    {
        public const int Dims = 1;
        public const int DataType = 2;
        public const int Name = 8;
        public const int RawData = 9;

        // TensorProto.DataType.FLOAT, also used as TypeProto.Tensor.elem_type.
        public const int DataTypeFloat = 1;
    }

    internal static class ValueInfo
    {
        public const int Name = 1;
        public const int Type = 2;
    }

    internal static class Type
    {
        public const int TensorType = 1;
    }

    internal static class TensorType
    {
        public const int ElemType = 1;
        public const int Shape = 2;
    }

    internal static class TensorShape
    {
        public const int Dim = 1;
    }

    internal static class Dimension
    {
        public const int DimValue = 1;
        public const int DimParam = 2;
    }
}
