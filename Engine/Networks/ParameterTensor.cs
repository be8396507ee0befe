namespace Engine.Networks;

/// <summary>One named tensor of a layer's parameters, a slice of the network's flat parameter array.</summary>
/// <param name="Name">The layer's name and the tensor's role, e.g. <c>conv1.weight</c>.</param>
/// <param name="Offset">Where the tensor starts in the flat array.</param>
/// <param name="Length">Its number of values.</param>
/// <param name="FanIn">Inputs feeding each output unit: He initialisation draws weights with variance 2 / FanIn.</param>
/// <param name="IsWeight">Weights are initialised randomly and decayed; the others (biases, learned slopes) start at <paramref name="InitialValue"/> and are not decayed.</param>
/// <param name="InitialValue">What a tensor that is not a weight starts at: 0 for biases, PReLU's 0.25 for its slopes.</param>
public sealed record ParameterTensor(string Name, int Offset, int Length, int FanIn, bool IsWeight, float InitialValue = 0f);
