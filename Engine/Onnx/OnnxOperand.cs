using System.Globalization;

namespace Engine.Onnx;

/// <summary>
/// One input of a node of an activation's ONNX form: the activation's input x, the output of an earlier node of
/// the form, a scalar constant, or the learned slope of each unit.
/// </summary>
internal abstract record OnnxOperand
{
    private protected OnnxOperand()
    {
    }

    /// <summary>The activation's input x.</summary>
    public static OnnxOperand X { get; } = new InputOperand();

    /// <summary>
    /// The learned slope of each unit (PReLU's): an initializer that broadcasts one value per channel, of shape
    /// [C, 1, 1] after a convolution and [units] after a fully connected layer.
    /// </summary>
    public static OnnxOperand LearnedSlope { get; } = new SlopeOperand();

    /// <summary>The output of the earlier node of the form called <paramref name="name"/>.</summary>
    public static OnnxOperand Value(string name) => new ValueOperand(name);

    /// <summary>A float scalar initializer called <paramref name="name"/> (within the layer) holding <paramref name="value"/>.</summary>
    public static OnnxOperand Constant(string name, float value) => new ConstantOperand(name, value);

    internal sealed record InputOperand : OnnxOperand
    {
        public override string ToString() => "x";
    }

    internal sealed record SlopeOperand : OnnxOperand
    {
        public override string ToString() => "slope";
    }

    internal sealed record ValueOperand(string Name) : OnnxOperand
    {
        public override string ToString() => Name;
    }

    internal sealed record ConstantOperand(string Name, float Scalar) : OnnxOperand
    {
        public override string ToString() => Scalar.ToString("R", CultureInfo.InvariantCulture);
    }
}
