using Engine.Activations;
using Engine.Networks;
using Trainer.Study;
using Training.Pipeline;

namespace Tests.Trainer;

/// <summary>The full plan is the study the issue asks for, sized for about 10 hours; the smoke plan is quick.</summary>
public sealed class StudyPlanTests
{
    private static readonly Dictionary<string, string> checksums = new() { ["mnist"] = "aa", ["fashion"] = "bb" };

    private static readonly IReadOnlyList<string> allTen =
        ["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign", "gelu_tanh", "silu", "prelu", "selu"];

    [Fact]
    public void Full_GivesTheArticlesActivationsFiveSeeds_TheAddedOnesAndTheSweepsThree()
    {
        StudyPlan plan = StudyPlan.Full;

        Assert.Equal(["relu", "leaky_relu", "elu", "noisy_relu", "softsign", "relu_softsign"], plan.ArticleActivations);
        Assert.Equal(["gelu_tanh", "silu", "prelu", "selu"], plan.AddedActivations);
        // Every activation the plan names is one this build registers.
        Assert.Equal(plan.ArticleActivations.Concat(plan.AddedActivations), plan.Activations().Select(a => a.Id));
        foreach (StudyExperiment experiment in plan.Experiments)
        {
            (int article, int added) = experiment.Kind == ExperimentKind.Standard ? (5, 3) : (3, 3);
            Assert.Equal((article, added), (experiment.ArticleSeeds, experiment.AddedSeeds));
        }
        Assert.Null(plan.ImageLimit);
    }

    [Fact]
    public void Full_CoversBothDatasetsEveryNetworkASweepOfThreeRatesAndTheHighRate()
    {
        StudyPlan plan = StudyPlan.Full;
        var standard = plan.Experiments.Where(e => e.Kind == ExperimentKind.Standard).Select(e => (e.Dataset, e.Architecture)).ToList();

        Assert.Equal([("mnist", "baseline"), ("mnist", "enhanced"), ("mnist", "narrow"), ("fashion", "baseline"), ("fashion", "enhanced")], standard);
        Assert.Equal(["mnist", "fashion"], plan.Datasets);
        // Every block's epochs are chosen by its own pilots, on validation accuracy.
        Assert.All(plan.Experiments.Where(e => e.Kind == ExperimentKind.Standard), e => Assert.Equal($"{e.Dataset}-{e.Architecture}", e.EpochsFrom));
        Assert.Equal(standard.Select(block => $"{block.Dataset}-{block.Architecture}"), plan.EpochChoices.Select(choice => choice.Name));

        // Three rates on the baseline: the two swept and the standard runs' default.
        var sweep = plan.Experiments.Where(e => e.Kind == ExperimentKind.LearningRateSweep).ToList();
        float defaultRate = TrainingOptions.For(NetworkArchitecture.Baseline).LearningRate;
        Assert.Equal(3, sweep.Select(e => e.LearningRate).Append(defaultRate).Distinct().Count());
        Assert.All(sweep, e => Assert.Equal(("mnist", "baseline", "mnist-baseline"), (e.Dataset, e.Architecture, e.EpochsFrom)));

        StudyExperiment high = Assert.Single(plan.Experiments, e => e.Kind == ExperimentKind.HighLearningRate);
        float enhancedRate = TrainingOptions.For(NetworkArchitecture.Enhanced).LearningRate;
        Assert.Equal(10 * enhancedRate, high.LearningRate!.Value, 6);
        Assert.True(high.ArticleSeeds >= 3 && high.AddedSeeds >= 3);
    }

    [Fact]
    public void Full_FitsAboutTenHours_ForEveryActivationOfTheIssue()
    {
        StudyEstimate estimate = StudyPlan.Full.Estimate(allTen);

        Assert.Equal(5 * 2 * 2, estimate.PilotCells);
        // Five blocks of 6 × 5 + 4 × 3 runs, the high-rate block and two swept rates of 10 × 3.
        Assert.Equal(5 * 42 + 30 + 2 * 30, estimate.Cells);
        Assert.InRange(estimate.Most, TimeSpan.FromHours(8), TimeSpan.FromHours(10));
        Assert.True(estimate.Least < estimate.Most);
        Assert.Contains(StudyEstimate.Duration(estimate.Most), estimate.Describe());
    }

    [Fact]
    public void Smoke_RunsEveryKindOfCellOnAFewHundredImagesInSeconds()
    {
        StudyPlan plan = StudyPlan.Smoke;

        Assert.Equal(Enum.GetValues<ExperimentKind>().Order(), plan.Experiments.Select(e => e.Kind).Append(ExperimentKind.EpochChoice).Distinct().Order());
        Assert.InRange(plan.ImageLimit!.Value, 1, 500);
        Assert.True(plan.Estimate(plan.ArticleActivations).Most < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Activations_LeavesOutIdsThisBuildDoesNotRegister_WithAWarning()
    {
        StudyPlan plan = StudyPlan.Smoke with { AddedActivations = ["no_such_activation"] };
        var warnings = new StringWriter();

        IReadOnlyList<ActivationFunction> activations = plan.Activations(warnings);

        Assert.Equal(["relu", "noisy_relu", "relu_softsign"], activations.Select(a => a.Id));
        Assert.Contains("'no_such_activation' is not registered", warnings.ToString());
        Assert.Contains("Not in this build, so not run: no_such_activation", plan.Describe(activations, new Dictionary<string, int>()));
    }

    [Fact]
    public void Cells_ComeSeedBySeed_AfterThePilots_WithTheChosenEpochsForEveryActivation()
    {
        StudyPlan plan = StudyPlan.Full;
        IReadOnlyList<ActivationFunction> activations = plan.Activations();

        IReadOnlyList<PlannedCell> pilots = plan.PilotCells(activations, checksums);
        Assert.All(pilots, cell => Assert.Equal(ExperimentKind.EpochChoice, cell.Recipe.Kind));
        Assert.Equal(plan.EpochChoices.Sum(choice => choice.Candidates.Count * 2), pilots.Count);
        Assert.Throws<InvalidOperationException>(() => plan.MainCells(activations, checksums, new Dictionary<string, int>()));

        var chosen = plan.EpochChoices.ToDictionary(choice => choice.Name, choice => choice.Candidates[^1]);
        IReadOnlyList<PlannedCell> cells = plan.MainCells(activations, checksums, chosen);

        Assert.Equal(cells.Select(cell => cell.Recipe.Seed).Order(), cells.Select(cell => cell.Recipe.Seed));
        Assert.Equal(cells.Count, cells.Select(cell => cell.Recipe.Slot).Distinct().Count());
        Assert.Equal(cells.Count, cells.Select(cell => cell.FileName).Distinct().Count());
        foreach (var block in cells.GroupBy(cell => (cell.Recipe.Experiment, cell.Recipe.Dataset, cell.Recipe.Architecture)))
        {
            // The same epochs, learning rate and everything else for every activation of a block.
            Assert.Single(block.Select(cell => (cell.Recipe with { Activation = "", Seed = 0 }).Key).Distinct());
            Assert.All(block, cell => Assert.Equal(0, cell.Recipe.Patience));
        }
        Assert.Equal(20, cells.First(cell => cell.Recipe.Dataset == "fashion" && cell.Recipe.Architecture == "enhanced").Recipe.Epochs);
        Assert.Equal(5, cells.Count(cell => cell.Recipe.Experiment == StudyPlan.StandardExperiment && cell.Recipe.Dataset == "mnist"
            && cell.Recipe.Architecture == "narrow" && cell.Recipe.Activation == "relu_softsign"));
        Assert.Equal(NetworkArchitecture.DropoutRate, cells.First(cell => cell.Recipe.Architecture == "enhanced").Recipe.Dropout);
        Assert.Equal("aa", cells.First(cell => cell.Recipe.Dataset == "mnist").Recipe.DataChecksum);
    }

    [Fact]
    public void EpochChoice_TakesTheShortestLengthWithinToleranceOfTheBest_OnValidationAccuracyAlone()
    {
        var choice = new EpochChoice("mnist", "baseline", [10, 15, 20], ["relu", "elu"], Seeds: 1, Tolerance: 0.001);
        // Test accuracies the other way round: were they used, 10 epochs would win.
        StudyCell Pilot(string activation, int epochs, double validation, int testRight) =>
            StudyCellFactory.Cell(StudyCellFactory.Recipe(activation, 1, EpochChoice.ExperimentName(epochs), ExperimentKind.EpochChoice, epochs: epochs),
                StudyCellFactory.Right(100, testRight), validation);
        List<StudyCell> pilots =
        [
            Pilot("relu", 10, 0.9800, 99), Pilot("elu", 10, 0.9800, 99),
            Pilot("relu", 15, 0.9892, 90), Pilot("elu", 15, 0.9900, 90),
            Pilot("relu", 20, 0.9900, 80), Pilot("elu", 20, 0.9906, 80),
        ];

        Assert.Equal(15, choice.Choose(pilots, ["relu", "elu"]));
        Assert.Equal(20, (choice with { Tolerance = 0.0001 }).Choose(pilots, ["relu", "elu"]));
        Assert.Null(choice.Choose(pilots.Skip(1).ToList(), ["relu", "elu"]));
        // A pilot activation this build lacks is not waited for.
        Assert.Equal(15, choice.Choose(pilots.Where(cell => cell.Recipe.Activation == "relu").ToList(), ["relu"]));
    }
}
