namespace Contracts;

/// <summary>An activation function the service offers.</summary>
/// <param name="Id">Its stable id, used in <c>?activation=</c>.</param>
/// <param name="Name">Its name, in words.</param>
/// <param name="Formula">f(x).</param>
/// <param name="Derivative">f'(x), with the value chosen at x = 0.</param>
/// <param name="Models">The names of the models that use it.</param>
public sealed record ActivationInfo(string Id, string Name, string Formula, string Derivative, IReadOnlyList<string> Models);
