using Contracts;

namespace Trainer.Verification;

/// <summary>What <see cref="ModelVerifier"/> found.</summary>
/// <param name="Card">The card verified.</param>
/// <param name="Problems">What stopped the model from being trained again: an edited card or other data. Empty when it was trained.</param>
/// <param name="Retrained">The card of the model trained again from the recipe, or null when <paramref name="Problems"/> stopped it.</param>
/// <param name="Cpu">The vector instructions of this machine's CPU.</param>
public sealed record ModelVerification(ModelCard Card, IReadOnlyList<string> Problems, ModelCard? Retrained, string Cpu)
{
    /// <summary>Whether the weights trained again are the card's, bit for bit.</summary>
    public bool WeightsMatch => Retrained is not null && Retrained.WeightsSha256 == Card.WeightsSha256;

    /// <summary>Whether the test accuracy trained again is exactly the card's.</summary>
    public bool AccuracyMatches => Retrained is not null && Retrained.TestAccuracy == Card.TestAccuracy;

    /// <summary>Whether the card's CPU had the same vector instructions as this one.</summary>
    public bool SameKindOfCpu => Card.Cpu == Cpu;

    /// <summary>Whether the model was reproduced: trained again from its card with the same weights and accuracy.</summary>
    public bool Reproduced => Problems.Count == 0 && WeightsMatch && AccuracyMatches;
}
