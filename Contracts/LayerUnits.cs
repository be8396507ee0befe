namespace Contracts;

/// <summary>
/// The health of one activation layer's units, measured over every test image in inference mode. A unit is a
/// feature map of a convolution or a neuron of a fully connected layer; its values are every position of every image.
/// </summary>
/// <param name="Layer">The layer, e.g. <c>conv1</c> or <c>dense1</c>.</param>
/// <param name="Units">The layer's units.</param>
/// <param name="Dead">
/// Units through which no gradient flows: the activation's derivative is below ε = 10⁻⁶ in magnitude at every one of
/// their values. For ReLU, a unit whose output is never positive; for a saturating activation, a unit held in a flat
/// region on every input. Leaky ReLU units cannot die.
/// </param>
/// <param name="Dormant">
/// Units whose mean |output| is at most a tenth of the layer's mean over its units (Sokar et al., 2023).
/// </param>
/// <param name="Collapsed">
/// Units whose output varies (nearly) not at all: the variance of their values is at most 10⁻⁴ of the layer's mean
/// unit variance. Absent from cards that do not count it.
/// </param>
public sealed record LayerUnits(string Layer, int Units, int Dead, int Dormant, int? Collapsed = null)
{
    /// <summary>Dead units as a fraction of the layer's, in [0, 1].</summary>
    public double DeadFraction => Units == 0 ? 0 : (double)Dead / Units;

    /// <summary>Dormant units as a fraction of the layer's, in [0, 1].</summary>
    public double DormantFraction => Units == 0 ? 0 : (double)Dormant / Units;

    /// <summary>Collapsed units as a fraction of the layer's, in [0, 1]; absent where <see cref="Collapsed"/> is.</summary>
    public double? CollapsedFraction => Collapsed is not int collapsed ? null : Units == 0 ? 0 : (double)collapsed / Units;
}
