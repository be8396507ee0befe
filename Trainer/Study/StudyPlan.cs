using System.Globalization;
using System.Text;
using Engine.Activations;
using Engine.Networks;
using Training.Data;
using Training.Pipeline;

namespace Trainer.Study;

/// <summary>
/// What the activation study runs: pilot runs that choose each block's epochs on validation accuracy, then every
/// activation × architecture × dataset × seed at the default learning rate, a learning-rate sweep and the
/// high-learning-rate runs that provoke dying units. Activations are named by id; an id this build does not
/// register is left out with a warning.
/// </summary>
/// <param name="Name">The plan's name in logs and the report.</param>
/// <param name="ArticleActivations">The activations the article compares, in report order.</param>
/// <param name="AddedActivations">Activations added to the comparison since, in report order.</param>
/// <param name="EpochChoices">The pilots, one per block whose epochs they choose.</param>
/// <param name="Experiments">The experiments; cells run seed by seed across them, in this order within a seed.</param>
/// <param name="ImageLimit">Use only this many images of each part (training, validation, test); null for all.</param>
public sealed record StudyPlan(
    string Name,
    IReadOnlyList<string> ArticleActivations,
    IReadOnlyList<string> AddedActivations,
    IReadOnlyList<EpochChoice> EpochChoices,
    IReadOnlyList<StudyExperiment> Experiments,
    int? ImageLimit)
{
    /// <summary>The experiment every activation is compared in, at the architecture's default learning rate.</summary>
    public const string StandardExperiment = "standard";

    /// <summary>The experiment with a deliberately high learning rate.</summary>
    public const string HighLearningRateExperiment = "high-lr";

    /// <summary>
    /// The full study, sized for about 10 hours on a quiet 2-core machine: 5 seeds for the article's six
    /// activations and 3 for the added ones in each of five blocks (MNIST on the baseline, enhanced and narrow
    /// networks, Fashion-MNIST on the baseline and enhanced); a sweep of the baseline's learning rate
    /// (÷5, the default, ×5) over 3 seeds; the enhanced network at 10× its learning rate over 3 seeds.
    /// </summary>
    public static StudyPlan Full { get; } = new(
        "full",
        ArticleActivations: ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"],
        AddedActivations: ["gelu_tanh", "silu", "prelu", "selu"],
        EpochChoices:
        [
            new EpochChoice("mnist", "baseline", [10, 15], ["relu", "relu_softsign"], Seeds: 1, Tolerance: 0.001),
            new EpochChoice("mnist", "enhanced", [10, 15], ["relu", "relu_softsign"], Seeds: 1, Tolerance: 0.001),
            new EpochChoice("mnist", "narrow", [10, 15], ["relu", "relu_softsign"], Seeds: 1, Tolerance: 0.001),
            new EpochChoice("fashion", "baseline", [10, 20], ["relu", "relu_softsign"], Seeds: 1, Tolerance: 0.002),
            new EpochChoice("fashion", "enhanced", [10, 20], ["relu", "relu_softsign"], Seeds: 1, Tolerance: 0.002),
        ],
        Experiments:
        [
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "baseline", null, null, "mnist-baseline", ArticleSeeds: 5, AddedSeeds: 3),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "enhanced", null, null, "mnist-enhanced", ArticleSeeds: 5, AddedSeeds: 3),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "narrow", null, null, "mnist-narrow", ArticleSeeds: 5, AddedSeeds: 3),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "fashion", "baseline", null, null, "fashion-baseline", ArticleSeeds: 5, AddedSeeds: 3),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "fashion", "enhanced", null, null, "fashion-enhanced", ArticleSeeds: 5, AddedSeeds: 3),
            new StudyExperiment(HighLearningRateExperiment, ExperimentKind.HighLearningRate, "mnist", "enhanced", 0.02f, 5, null, ArticleSeeds: 3, AddedSeeds: 3),
            new StudyExperiment("lr-0.001", ExperimentKind.LearningRateSweep, "mnist", "baseline", 0.001f, null, "mnist-baseline", ArticleSeeds: 3, AddedSeeds: 3),
            new StudyExperiment("lr-0.025", ExperimentKind.LearningRateSweep, "mnist", "baseline", 0.025f, null, "mnist-baseline", ArticleSeeds: 3, AddedSeeds: 3),
        ],
        ImageLimit: null);

    /// <summary>
    /// The smoke version CI runs so that the command cannot rot: every kind of cell, three activations, 300 images
    /// of each part, one or two epochs; well under a minute.
    /// </summary>
    public static StudyPlan Smoke { get; } = new(
        "smoke",
        ArticleActivations: ["relu", "noisy_relu", "relu_softsign"],
        AddedActivations: [],
        EpochChoices: [new EpochChoice("mnist", "baseline", [1, 2], ["relu"], Seeds: 1, Tolerance: 0.001)],
        Experiments:
        [
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "baseline", null, null, "mnist-baseline", ArticleSeeds: 2, AddedSeeds: 2),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "enhanced", null, 1, null, ArticleSeeds: 2, AddedSeeds: 2),
            new StudyExperiment(StandardExperiment, ExperimentKind.Standard, "mnist", "narrow", null, 1, null, ArticleSeeds: 2, AddedSeeds: 2),
            new StudyExperiment(HighLearningRateExperiment, ExperimentKind.HighLearningRate, "mnist", "enhanced", 0.02f, 2, null, ArticleSeeds: 1, AddedSeeds: 1),
            new StudyExperiment("lr-0.025", ExperimentKind.LearningRateSweep, "mnist", "baseline", 0.025f, null, "mnist-baseline", ArticleSeeds: 2, AddedSeeds: 2),
        ],
        ImageLimit: 300);

    /// <summary>The ids of the plan's datasets, in report order.</summary>
    public IReadOnlyList<string> Datasets =>
        StudyDataset.All.Select(dataset => dataset.Id)
            .Where(id => Experiments.Any(e => e.Dataset == id) || EpochChoices.Any(c => c.Dataset == id))
            .ToList();

    /// <summary>Whether <paramref name="activation"/> is one of the article's activations (which get more seeds).</summary>
    public bool IsArticleActivation(string activation) => ArticleActivations.Contains(activation);

    /// <summary>
    /// The plan's activations that this build registers, article's first; each id it does not register is named
    /// on <paramref name="warnings"/> and left out of every cell.
    /// </summary>
    public IReadOnlyList<ActivationFunction> Activations(TextWriter? warnings = null)
    {
        var found = new List<ActivationFunction>();
        foreach (string id in ArticleActivations.Concat(AddedActivations))
        {
            if (ActivationFunctions.TryGet(id, out ActivationFunction? activation))
                found.Add(activation);
            else
                warnings?.WriteLine($"warning: activation '{id}' is not registered in this build; the study leaves its cells out.");
        }
        return found;
    }

    /// <summary>The pilot cells, in run order.</summary>
    /// <param name="activations">The registered activations (<see cref="Activations"/>).</param>
    /// <param name="dataChecksums">The <see cref="DataChecksum"/> of each dataset id.</param>
    public IReadOnlyList<PlannedCell> PilotCells(IReadOnlyList<ActivationFunction> activations, IReadOnlyDictionary<string, string> dataChecksums)
    {
        var cells = new List<PlannedCell>();
        foreach (EpochChoice choice in EpochChoices)
            foreach (int epochs in choice.Candidates)
                for (int seed = 1; seed <= choice.Seeds; seed++)
                    foreach (ActivationFunction activation in activations.Where(a => choice.Activations.Contains(a.Id)))
                        cells.Add(Cell(EpochChoice.ExperimentName(epochs), ExperimentKind.EpochChoice, choice.Dataset, choice.Architecture, activation, seed, epochs, null, dataChecksums));
        return cells;
    }

    /// <summary>The cells after the pilots, in run order: seed 1 of every experiment, then seed 2, and so on.</summary>
    /// <param name="activations">The registered activations (<see cref="Activations"/>).</param>
    /// <param name="dataChecksums">The <see cref="DataChecksum"/> of each dataset id.</param>
    /// <param name="chosenEpochs">The epochs each <see cref="EpochChoice"/> chose, by name.</param>
    /// <exception cref="InvalidOperationException">An experiment takes its epochs from a choice not yet made.</exception>
    public IReadOnlyList<PlannedCell> MainCells(
        IReadOnlyList<ActivationFunction> activations, IReadOnlyDictionary<string, string> dataChecksums, IReadOnlyDictionary<string, int> chosenEpochs)
    {
        var cells = new List<PlannedCell>();
        int seeds = Experiments.Select(experiment => Math.Max(experiment.ArticleSeeds, experiment.AddedSeeds)).DefaultIfEmpty(0).Max();
        for (int seed = 1; seed <= seeds; seed++)
        {
            foreach (StudyExperiment experiment in Experiments)
            {
                int epochs = EpochsOf(experiment, chosenEpochs)
                    ?? throw new InvalidOperationException($"the epochs of {experiment.Name} {experiment.Dataset} {experiment.Architecture} come from the pilots of {experiment.EpochsFrom}, which have not chosen yet");
                foreach (ActivationFunction activation in activations.Where(a => seed <= SeedsOf(experiment, a.Id)))
                    cells.Add(Cell(experiment.Name, experiment.Kind, experiment.Dataset, experiment.Architecture, activation, seed, epochs, experiment.LearningRate, dataChecksums));
            }
        }
        return cells;
    }

    /// <summary>The seeds an experiment gives an activation.</summary>
    public int SeedsOf(StudyExperiment experiment, string activation) => IsArticleActivation(activation) ? experiment.ArticleSeeds : experiment.AddedSeeds;

    /// <summary>The experiment's epochs: fixed, chosen, or null while its pilots have not chosen.</summary>
    public static int? EpochsOf(StudyExperiment experiment, IReadOnlyDictionary<string, int> chosenEpochs) =>
        experiment.Epochs ?? (experiment.EpochsFrom is { } name && chosenEpochs.TryGetValue(name, out int chosen) ? chosen : null);

    /// <summary>
    /// How long the plan should take on the machine <see cref="StudyEstimate"/> was measured on: the pilots, and
    /// the rest at the shortest and at the longest epochs the pilots may choose.
    /// </summary>
    /// <param name="activations">The ids of the activations that will run.</param>
    /// <param name="chosenEpochs">The epochs the pilots chose so far, by choice name.</param>
    public StudyEstimate Estimate(IReadOnlyCollection<string> activations, IReadOnlyDictionary<string, int>? chosenEpochs = null)
    {
        chosenEpochs ??= new Dictionary<string, int>();
        int trainingImages = Math.Min(ImageLimit ?? int.MaxValue, StudyEstimate.FullTrainingImages);
        double pilots = 0;
        foreach (EpochChoice choice in EpochChoices)
        {
            int runs = choice.Activations.Count(activations.Contains) * choice.Seeds;
            pilots += runs * choice.Candidates.Sum() * StudyEstimate.SecondsPerEpoch(choice.Architecture, trainingImages);
        }
        double shortest = 0, longest = 0;
        int cells = 0;
        foreach (StudyExperiment experiment in Experiments)
        {
            int runs = activations.Sum(id => SeedsOf(experiment, id));
            cells += runs;
            double perEpoch = runs * StudyEstimate.SecondsPerEpoch(experiment.Architecture, trainingImages);
            if (EpochsOf(experiment, chosenEpochs) is { } epochs)
            {
                shortest += perEpoch * epochs;
                longest += perEpoch * epochs;
            }
            else
            {
                IReadOnlyList<int> candidates = EpochChoices.Single(choice => choice.Name == experiment.EpochsFrom).Candidates;
                shortest += perEpoch * candidates.Min();
                longest += perEpoch * candidates.Max();
            }
        }
        int pilotCells = EpochChoices.Sum(choice => choice.Activations.Count(activations.Contains) * choice.Seeds * choice.Candidates.Count);
        return new StudyEstimate(pilotCells, cells, TimeSpan.FromSeconds(pilots), TimeSpan.FromSeconds(shortest), TimeSpan.FromSeconds(longest));
    }

    /// <summary>How the study is run, in markdown, for the report and the log.</summary>
    /// <param name="activations">The registered activations.</param>
    /// <param name="chosenEpochs">The epochs the pilots chose so far, by choice name.</param>
    public string Describe(IReadOnlyList<ActivationFunction> activations, IReadOnlyDictionary<string, int> chosenEpochs)
    {
        var text = new StringBuilder();
        string Ids(IEnumerable<string> ids) => string.Join(", ", ids.Where(id => activations.Any(a => a.Id == id)));
        string Seeds(int count) => count == 1 ? "seed 1" : string.Create(CultureInfo.InvariantCulture, $"seeds 1–{count}");
        var missing = ArticleActivations.Concat(AddedActivations).Where(id => activations.All(a => a.Id != id)).ToList();
        bool anyAdded = AddedActivations.Any(id => activations.Any(a => a.Id == id));
        string added = anyAdded ? $"; added since: {Ids(AddedActivations)}" : "";
        string absent = missing.Count > 0 ? $" Not in this build, so not run: {string.Join(", ", missing)}." : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"- Activations: the article's {Ids(ArticleActivations)}{added}.{absent}");
        foreach (StudyExperiment experiment in Experiments)
        {
            NetworkArchitecture architecture = NetworkArchitecture.Get(experiment.Architecture);
            TrainingOptions options = TrainingOptions.For(architecture) with { Patience = 0 };
            if (experiment.LearningRate is { } rate)
                options = options with { LearningRate = rate };
            string epochs = EpochsOf(experiment, chosenEpochs) is { } chosen
                ? StudyReport.Epochs(chosen) + (experiment.Epochs is null ? $" (chosen by the {experiment.EpochsFrom} pilots)" : "")
                : $"epochs chosen by the {experiment.EpochsFrom} pilots (not yet run)";
            string seeds = experiment.ArticleSeeds == experiment.AddedSeeds || !anyAdded
                ? Seeds(experiment.ArticleSeeds)
                : $"{Seeds(experiment.ArticleSeeds)} for the article's activations, {Seeds(experiment.AddedSeeds)} for the added ones";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- `{experiment.Name}`, {StudyDataset.Get(experiment.Dataset).Name} / {experiment.Architecture}: {epochs}, {seeds}; {Training(options)}.");
        }
        foreach (EpochChoice choice in EpochChoices)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- Pilots for {StudyDataset.Get(choice.Dataset).Name} / {choice.Architecture}: {string.Join(" and ", choice.Candidates)} epochs, {Ids(choice.Activations)}, {Seeds(choice.Seeds)}; " +
                $"the block gets the shortest length whose mean validation accuracy is within {100 * choice.Tolerance:0.##} pp of the best length's.");
        }
        text.AppendLine("- Networks: " + string.Join("; ", Experiments.Select(e => e.Architecture).Distinct()
            .Select(name => $"{name}: {NetworkArchitecture.Get(name).Description}")) + ".");
        foreach (string id in Datasets)
        {
            StudyDataset dataset = StudyDataset.Get(id);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {dataset.Name}: the training images split into training and validation images (stratified, seed {DigitSplits.StandardSeed}), " +
                $"the test images kept apart; images {(dataset.Preprocessing == "scaled" ? "scaled to [0, 1] and nothing else" : "normalised as the service normalises uploads")}.");
        }
        text.AppendLine("- Every choice is made on the validation images: the kept weights (the epoch with the best validation accuracy), the epochs of each block (the pilots), and the per-epoch curves and unit counts. " +
                        "The test images are used once per run, on the kept weights, for the final figures.");
        if (ImageLimit is { } limit)
            text.AppendLine(CultureInfo.InvariantCulture, $"- Smoke run: only {limit} images of each part, spread evenly over it.");
        return text.ToString();
    }

    // The recipe's training settings in words; the epochs are given beside them.
    private static string Training(TrainingOptions options)
    {
        var augmentation = new List<string>();
        if (options.MaxShift > 0)
            augmentation.Add(string.Create(CultureInfo.InvariantCulture, $"shifts up to ±{options.MaxShift} px"));
        if (options.MaxRotationDegrees > 0)
            augmentation.Add(string.Create(CultureInfo.InvariantCulture, $"rotations up to ±{options.MaxRotationDegrees:0.#}°"));
        if (options.MaxScale > 0)
            augmentation.Add(string.Create(CultureInfo.InvariantCulture, $"scaling up to ±{options.MaxScale * 100:0.#} %"));
        return string.Create(CultureInfo.InvariantCulture,
            $"Adam, learning rate {options.LearningRate} with cosine decay to a twentieth over the run, batch {options.BatchSize}, decoupled weight decay {options.WeightDecay}, ") +
            $"augmentation: {(augmentation.Count == 0 ? "none" : string.Join(", ", augmentation))}, no early stopping";
    }

    private PlannedCell Cell(string experiment, ExperimentKind kind, string datasetId, string architectureName, ActivationFunction activation, int seed, int epochs,
        float? learningRate, IReadOnlyDictionary<string, string> dataChecksums)
    {
        StudyDataset dataset = StudyDataset.Get(datasetId);
        NetworkArchitecture architecture = NetworkArchitecture.Get(architectureName);
        TrainingOptions defaults = TrainingOptions.For(architecture);
        float dropout = architecture.Build(activation).OfType<DropoutLayer>().Select(layer => layer.Rate).DefaultIfEmpty(0f).Max();
        var recipe = new StudyRecipe(
            StudyRecipe.CurrentCodeVersion, experiment, kind, dataset.Id,
            dataChecksums.TryGetValue(dataset.Id, out string? checksum) ? checksum : throw new KeyNotFoundException($"no data checksum for the dataset '{dataset.Id}'"),
            dataset.Preprocessing, DigitSplits.StandardSeed, ImageLimit, architecture.Name, architecture.Description, dropout, activation.Id, seed, epochs,
            defaults.BatchSize, learningRate ?? defaults.LearningRate, defaults.WeightDecay, defaults.MaxShift, defaults.MaxRotationDegrees, defaults.MaxScale,
            // Every run gets its planned epochs: the same for every activation, and curves that all end together.
            Patience: 0);
        return new PlannedCell(recipe, dataset, architecture, activation);
    }
}
