namespace Trainer.Study;

/// <summary>The study's cells arranged as the report shows them: one <see cref="StudyBlock"/> per table.</summary>
internal sealed class StudyAnalysis
{
    private StudyAnalysis(StudyPlan plan, IReadOnlyList<StudyCell> cells)
    {
        Plan = plan;
        Cells = cells;
        ActivationOrder = [.. plan.ArticleActivations, .. plan.AddedActivations];
    }

    public StudyPlan Plan { get; }

    public IReadOnlyList<StudyCell> Cells { get; }

    /// <summary>The article's activations, then the added ones.</summary>
    public IReadOnlyList<string> ActivationOrder { get; }

    /// <summary>Every activation at its architecture's default learning rate, one block per dataset and network.</summary>
    public IReadOnlyList<StudyBlock> Standard { get; private set; } = [];

    /// <summary>The high-learning-rate experiments.</summary>
    public IReadOnlyList<StudyBlock> HighLearningRate { get; private set; } = [];

    /// <summary>
    /// Per swept dataset and network, a block per learning rate, lowest first; the default rate's block is the
    /// standard one, cut to the seeds the sweep has, so every rate is compared over the same seeds.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<StudyBlock>> Sweeps { get; private set; } = [];

    /// <summary>The pilot runs that chose the epochs.</summary>
    public IReadOnlyList<StudyCell> Pilots => Cells.Where(cell => cell.Recipe.Kind == ExperimentKind.EpochChoice).ToList();

    public static StudyAnalysis Create(IReadOnlyList<StudyCell> cells, StudyPlan plan)
    {
        var analysis = new StudyAnalysis(plan, cells);
        analysis.Standard = analysis.Blocks(ExperimentKind.Standard);
        analysis.HighLearningRate = analysis.Blocks(ExperimentKind.HighLearningRate);
        analysis.Sweeps = analysis.SweepBlocks();
        return analysis;
    }

    /// <summary>"MNIST, enhanced".</summary>
    public static string Title(string dataset, string architecture) => $"{StudyDataset.Get(dataset).Name}, {architecture}";

    private List<StudyBlock> Blocks(ExperimentKind kind) =>
        Plan.Experiments.Where(experiment => experiment.Kind == kind)
            .Select(experiment => Of(experiment.Name, experiment.Dataset, experiment.Architecture))
            .Where(block => block.Count > 0)
            .Select(block => StudyBlock.Create(Title(block[0].Recipe.Dataset, block[0].Recipe.Architecture) +
                    (kind == ExperimentKind.HighLearningRate ? $", learning rate {block[0].Recipe.LearningRate:0.####}" : ""),
                block, ActivationOrder, StudyReport.ReferenceActivation))
            .ToList();

    private List<IReadOnlyList<StudyBlock>> SweepBlocks()
    {
        var sweeps = new List<IReadOnlyList<StudyBlock>>();
        foreach (var swept in Plan.Experiments.Where(e => e.Kind == ExperimentKind.LearningRateSweep).GroupBy(e => (e.Dataset, e.Architecture)))
        {
            var blocks = new List<List<StudyCell>>();
            foreach (StudyExperiment experiment in swept)
                blocks.Add(Of(experiment.Name, experiment.Dataset, experiment.Architecture));
            // The default rate alone is no sweep: wait for a swept rate.
            if (blocks.All(block => block.Count == 0))
                continue;
            int seeds = swept.Max(experiment => Math.Max(experiment.ArticleSeeds, experiment.AddedSeeds));
            blocks.Add(Of(StudyPlan.StandardExperiment, swept.Key.Dataset, swept.Key.Architecture).Where(cell => cell.Recipe.Seed <= seeds).ToList());
            sweeps.Add(blocks.Where(block => block.Count > 0)
                .OrderBy(block => block[0].Recipe.LearningRate)
                .Select(block => StudyBlock.Create($"{Title(swept.Key.Dataset, swept.Key.Architecture)}, learning rate {block[0].Recipe.LearningRate:0.####}",
                    block, ActivationOrder, StudyReport.ReferenceActivation))
                .ToList());
        }
        return sweeps.Where(sweep => sweep.Count > 0).ToList();
    }

    private List<StudyCell> Of(string experiment, string dataset, string architecture) =>
        Cells.Where(cell => cell.Recipe.Experiment == experiment && cell.Recipe.Dataset == dataset && cell.Recipe.Architecture == architecture).ToList();
}
