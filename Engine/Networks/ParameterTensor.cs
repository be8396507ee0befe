namespace Engine.Networks;

/// <summary>One named tensor of a layer's parameters, a slice of the network's flat parameter array.</summary>
/// <param name="Name">The layer's name and the tensor's role, e.g. <c>conv1.weight</c>.</param>
/// <param name="Offset">Where the tensor starts in the flat array.</param>
/// <param name="Length">Its number of values.</param>
/// <param name="FanIn">Inputs feeding each output unit: He initialisation draws weights with variance 2 / FanIn.</param>
/// <param name="IsWeight">Weights are initialised randomly and decayed; biases start at zero and are not decayed.</param>
public sealed record ParameterTensor(string Name, int Offset, int Length, int FanIn, bool IsWeight);
