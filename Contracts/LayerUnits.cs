namespace Contracts;

/// <summary>
/// How many units of one activation layer still work, measured over every test image in inference mode.
/// A unit is a feature map of a convolution or a neuron of a fully connected layer.
/// </summary>
/// <param name="Layer">The layer, e.g. <c>conv1</c> or <c>dense1</c>.</param>
/// <param name="Units">The layer's units.</param>
/// <param name="Dead">
/// Units whose output was never positive, on any image and at any position: for ReLU a unit that can no
/// longer learn; for the other activations, a unit stuck in its negative region.
/// </param>
/// <param name="Dormant">
/// Units whose mean |output| is at most a tenth of the layer's mean over its units (Sokar et al., 2023).
/// </param>
public sealed record LayerUnits(string Layer, int Units, int Dead, int Dormant)
{
    /// <summary>Dead units as a fraction of the layer's, in [0, 1].</summary>
    public double DeadFraction => Units == 0 ? 0 : (double)Dead / Units;

    /// <summary>Dormant units as a fraction of the layer's, in [0, 1].</summary>
    public double DormantFraction => Units == 0 ? 0 : (double)Dormant / Units;
}
