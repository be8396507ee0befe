using System.Globalization;

namespace Trainer.Study;

/// <summary>
/// How many epochs a block's cells get, chosen by pilot runs on validation accuracy alone: each candidate length is
/// trained for the pilot activations and seeds (the learning rate follows its cosine to the end of each length, so
/// every length is a complete schedule), and the block gets the shortest length whose mean validation accuracy is
/// within <see cref="Tolerance"/> of the best candidate's. The test set plays no part.
/// </summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Architecture">The architecture name.</param>
/// <param name="Candidates">The lengths tried, in epochs.</param>
/// <param name="Activations">The pilot activations' ids.</param>
/// <param name="Seeds">Pilot seeds 1 to this.</param>
/// <param name="Tolerance">How much mean validation accuracy (a fraction) a shorter length may give up.</param>
public sealed record EpochChoice(string Dataset, string Architecture, IReadOnlyList<int> Candidates, IReadOnlyList<string> Activations, int Seeds, double Tolerance)
{
    /// <summary>The name experiments refer to the choice by, e.g. <c>mnist-enhanced</c>.</summary>
    public string Name => $"{Dataset}-{Architecture}";

    /// <summary>The name of the pilot experiment of one candidate length, e.g. <c>epochs-15</c>.</summary>
    public static string ExperimentName(int epochs) => string.Create(CultureInfo.InvariantCulture, $"epochs-{epochs}");

    /// <summary>
    /// The chosen length, from the pilot cells of this block among <paramref name="cells"/>; null while any
    /// candidate lacks a finished pilot cell.
    /// </summary>
    /// <param name="cells">Any finished cells; those of other blocks or kinds are ignored.</param>
    /// <param name="activations">The pilot activations that are registered (the others have no cells).</param>
    public int? Choose(IEnumerable<StudyCell> cells, IReadOnlyCollection<string> activations)
    {
        var pilots = cells.Where(cell => cell.Recipe.Kind == ExperimentKind.EpochChoice && cell.Recipe.Dataset == Dataset && cell.Recipe.Architecture == Architecture).ToList();
        var means = new List<(int Epochs, double Validation)>();
        foreach (int epochs in Candidates)
        {
            var runs = pilots.Where(cell => cell.Recipe.Epochs == epochs).ToList();
            int expected = Activations.Count(id => activations.Contains(id)) * Seeds;
            if (expected == 0 || runs.Count < expected)
                return null;
            means.Add((epochs, StudyStatistics.Mean(runs.Select(cell => cell.ValidationAccuracy))));
        }
        double best = means.Max(candidate => candidate.Validation);
        return means.Where(candidate => candidate.Validation >= best - Tolerance).Min(candidate => candidate.Epochs);
    }
}
