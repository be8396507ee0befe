namespace Contracts;

/// <summary>The dead, dormant and collapsed units of every activation layer at one moment of training.</summary>
/// <param name="Epoch">The epoch just finished; 0 is the freshly initialised network.</param>
/// <param name="Layers">One entry per activation layer, input side first.</param>
public sealed record UnitSnapshot(int Epoch, IReadOnlyList<LayerUnits> Layers);
