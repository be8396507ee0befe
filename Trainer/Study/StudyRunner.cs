using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Contracts;
using Engine.Activations;
using Training.Data;
using Training.Pipeline;

namespace Trainer.Study;

/// <summary>
/// Runs a <see cref="StudyPlan"/>: the pilots first, which choose the epochs, then every other cell, each trained,
/// measured after every epoch on the validation images, tested once on the test images, and written to its own
/// file the moment it finishes. Cells whose file exists are read back, not trained again, so a killed study
/// resumes at the cell it was in. Before anything is trained, the cells folder is checked against the plan: a
/// file that is not one of the plan's cells (a stale recipe, other data, another code version) stops the run.
/// </summary>
/// <param name="plan">What to run.</param>
/// <param name="dataDirectories">The folder of each dataset id the plan uses (IDX files, train-/t10k- names).</param>
/// <param name="cellsDirectory">Where the cell files are; created if missing.</param>
/// <param name="log">Where the plan, its estimate, and per-epoch progress with the time left are written.</param>
/// <param name="progress">Progress within each epoch, as the trainer reports it.</param>
/// <param name="studyProgress">Progress after each epoch of the study as a whole.</param>
public sealed class StudyRunner(
    StudyPlan plan,
    IReadOnlyDictionary<string, string> dataDirectories,
    string cellsDirectory,
    TextWriter log,
    IProgress<TrainingProgress>? progress = null,
    IProgress<StudyProgress>? studyProgress = null)
{
    private readonly Dictionary<string, (PreparedDigits Training, PreparedDigits Validation, PreparedDigits Test)> datasets = [];
    private readonly Dictionary<string, int> chosenEpochs = [];
    private readonly SortedDictionary<string, string> dataLines = new(StringComparer.Ordinal);
    private IReadOnlyList<ActivationFunction> activations = [];
    private Dictionary<string, string> checksums = [];

    /// <summary>
    /// Trains every cell of the plan that has no file yet and returns all the plan's cells, in plan order.
    /// </summary>
    /// <exception cref="InvalidDataException">The cells folder holds a file that is not one of the plan's cells; nothing was trained.</exception>
    /// <exception cref="IOException">A dataset is missing; nothing was trained.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the cells finished until then are on disk.</exception>
    public IReadOnlyList<StudyCell> Run(CancellationToken cancellationToken = default)
    {
        Prepare();
        // Every dataset is loaded before the first cell, so a missing one stops the study at once, not hours in.
        foreach (string dataset in plan.Datasets)
            Load(dataset);
        Directory.CreateDirectory(cellsDirectory);
        IReadOnlyList<(string Path, StudyCell Cell)> files = StudyCellFiles.ReadAll(cellsDirectory);
        var done = files.ToDictionary(file => file.Cell.Key, file => file.Cell);
        Choose(done.Values, required: false);
        StudyCellFiles.CheckConsistent(files, KnownCells());

        StudyEstimate estimate = plan.Estimate(activations.Select(a => a.Id).ToList(), chosenEpochs);
        log.WriteLine($"study plan '{plan.Name}':");
        log.Write(plan.Describe(activations, chosenEpochs));
        log.WriteLine($"estimate: {estimate.Describe()}.");
        log.WriteLine($"{done.Count} cells already in {cellsDirectory}.");

        IReadOnlyList<PlannedCell> pilots = plan.PilotCells(activations, checksums);
        var clock = new StudyClock(Stopwatch.StartNew());
        var pilotsToRun = pilots.Where(cell => !done.ContainsKey(cell.Key)).ToList();
        // Until the pilots have chosen, the rest is estimated at the longest epochs they may choose.
        double laterSeconds = chosenEpochs.Count == plan.EpochChoices.Count ? 0 : estimate.Longest.TotalSeconds;
        RunCells(pilotsToRun, done, clock, laterSeconds, cancellationToken);

        Choose(done.Values, required: true);
        StudyCellFiles.CheckConsistent(files, KnownCells());
        var main = plan.MainCells(activations, checksums, chosenEpochs);
        RunCells(main.Where(cell => !done.ContainsKey(cell.Key)).ToList(), done, clock, 0, cancellationToken);

        log.WriteLine($"study plan '{plan.Name}' complete: {pilots.Count + main.Count} cells; this run took {StudyEstimate.Duration(clock.Watch.Elapsed)}.");
        return pilots.Concat(main).Select(cell => done[cell.Key]).ToList();
    }

    /// <summary>
    /// The plan's cells that are finished, in plan order, without training anything: what <c>--report</c> draws.
    /// </summary>
    /// <exception cref="InvalidDataException">The cells folder holds a file that is not one of the plan's cells.</exception>
    public IReadOnlyList<StudyCell> Finished()
    {
        Prepare();
        IReadOnlyList<(string Path, StudyCell Cell)> files = StudyCellFiles.ReadAll(cellsDirectory);
        Choose(files.Select(file => file.Cell), required: false);
        IReadOnlyList<PlannedCell> known = KnownCells();
        StudyCellFiles.CheckConsistent(files, known);
        var byKey = files.ToDictionary(file => file.Cell.Key, file => file.Cell);
        var finished = known.Where(cell => byKey.ContainsKey(cell.Key)).Select(cell => byKey[cell.Key]).ToList();
        foreach (StudyCell cell in finished.DistinctBy(cell => cell.Recipe.Dataset))
            DescribeData(StudyDataset.Get(cell.Recipe.Dataset).Name, cell.Recipe.Dataset, cell.TrainingImages, cell.ValidationImages, cell.TestImages);
        return finished;
    }

    /// <summary>
    /// How the study was run, in markdown, once <see cref="Run"/> or <see cref="Finished"/> has read the plan's
    /// state: the plan, the epochs its pilots chose, and the data the cells were trained on.
    /// </summary>
    public string Describe() => plan.Describe(activations, chosenEpochs) + string.Concat(dataLines.Values);

    private void Prepare()
    {
        activations = plan.Activations(log);
        if (activations.Count == 0)
            throw new InvalidOperationException($"none of the activations of the study plan '{plan.Name}' is registered in this build");
        checksums = plan.Datasets.ToDictionary(id => id, id =>
        {
            string checksum = DataChecksum.Compute(DataDirectory(id));
            log.WriteLine($"{id}: {DataDirectory(id)}, data checksum {checksum}");
            return checksum;
        });
    }

    private string DataDirectory(string dataset) =>
        dataDirectories.TryGetValue(dataset, out string? directory) ? directory : throw new KeyNotFoundException($"no folder given for the dataset '{dataset}'");

    // The pilots, and the cells whose epochs are known so far.
    private List<PlannedCell> KnownCells()
    {
        var known = plan.PilotCells(activations, checksums).ToList();
        var experiments = plan.Experiments.Where(experiment => StudyPlan.EpochsOf(experiment, chosenEpochs) is not null).ToList();
        known.AddRange((plan with { Experiments = experiments }).MainCells(activations, checksums, chosenEpochs));
        return known;
    }

    private void Choose(IEnumerable<StudyCell> cells, bool required)
    {
        var finished = cells.ToList();
        var ids = activations.Select(a => a.Id).ToList();
        foreach (EpochChoice choice in plan.EpochChoices)
        {
            if (chosenEpochs.ContainsKey(choice.Name))
                continue;
            if (choice.Choose(finished, ids) is { } epochs)
            {
                chosenEpochs[choice.Name] = epochs;
                log.WriteLine($"{choice.Name}: the pilots choose {StudyReport.Epochs(epochs)} (mean validation accuracy " +
                              string.Join(", ", choice.Candidates.Select(candidate => string.Create(CultureInfo.InvariantCulture,
                                  $"{StudyReport.Epochs(candidate)} {100 * StudyStatistics.Mean(finished.Where(c => c.Recipe.Kind == ExperimentKind.EpochChoice && c.Recipe.Dataset == choice.Dataset && c.Recipe.Architecture == choice.Architecture && c.Recipe.Epochs == candidate).Select(c => c.ValidationAccuracy)):0.00} %"))) + ")");
            }
            else if (required)
            {
                throw new InvalidOperationException($"the pilots of {choice.Name} cannot choose: none of {string.Join(", ", choice.Activations)} is registered, or a pilot is missing");
            }
        }
    }

    private void RunCells(IReadOnlyList<PlannedCell> cells, Dictionary<string, StudyCell> done, StudyClock clock, double laterSeconds, CancellationToken cancellationToken)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PlannedCell cell = cells[i];
            double afterThisCell = laterSeconds + cells.Skip(i + 1).Sum(EstimatedSeconds);
            string name = Name(cell.Recipe);
            log.WriteLine($"[{i + 1}/{cells.Count}] {name}: {StudyReport.Epochs(cell.Recipe.Epochs)}, learning rate {cell.Recipe.LearningRate.ToString(CultureInfo.InvariantCulture)}");
            StudyCell result = RunCell(cell, (epoch, validation) =>
            {
                clock.EstimatedDone += EstimatedSeconds(cell) / cell.Recipe.Epochs;
                double left = (EstimatedSeconds(cell) * (cell.Recipe.Epochs - epoch) / cell.Recipe.Epochs + afterThisCell) * clock.Pace;
                TimeSpan remaining = TimeSpan.FromSeconds(left);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    [{i + 1}/{cells.Count}] {name} · epoch {epoch}/{cell.Recipe.Epochs} · validation {100 * validation:0.00} % · elapsed {StudyEstimate.Duration(clock.Watch.Elapsed)}, about {StudyEstimate.Duration(remaining)} left"));
                studyProgress?.Report(new StudyProgress(i + 1, cells.Count, name, epoch, cell.Recipe.Epochs, validation, clock.Watch.Elapsed, remaining));
            }, cancellationToken);
            StudyCellFiles.Write(Path.Combine(cellsDirectory, cell.FileName), result);
            done[cell.Key] = result;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{i + 1}/{cells.Count}] {name}: validation {100 * result.ValidationAccuracy:0.00} %, test {100 * result.TestAccuracy:0.00} % (epoch {result.BestEpoch}), " +
                $"{result.TrainingSeconds:0} s, dead {100 * StudyStatistics.PooledDead(result.Final):0.0} %"));
        }
    }

    private double EstimatedSeconds(PlannedCell cell) =>
        cell.Recipe.Epochs * StudyEstimate.SecondsPerEpoch(cell.Recipe.Architecture, datasets[cell.Dataset.Id].Training.Count);

    private static string Name(StudyRecipe recipe) =>
        string.Create(CultureInfo.InvariantCulture, $"{recipe.Experiment} {recipe.Dataset} {recipe.Architecture} {recipe.Activation} seed {recipe.Seed}");

    private StudyCell RunCell(PlannedCell cell, Action<int, double> epochDone, CancellationToken cancellationToken)
    {
        (PreparedDigits training, PreparedDigits validation, PreparedDigits test) = Load(cell.Dataset.Id);
        UnitSnapshot? initial = null;
        var units = new List<UnitSnapshot>();
        TrainingResult result = NetworkTrainer.Train(cell.Architecture, cell.Activation, training, validation, cell.Recipe.Options, progress, (epoch, network) =>
        {
            (Evaluation evaluation, UnitSnapshot snapshot) = UnitCensus.Take(network, validation, epoch);
            if (epoch == 0)
            {
                initial = snapshot;
                return;
            }
            units.Add(snapshot);
            epochDone(epoch, evaluation.Accuracy);
        }, cancellationToken);
        (Evaluation final, UnitSnapshot finalUnits) = UnitCensus.Take(result.Network, test, result.BestEpoch);

        var history = result.History.Select((e, i) => new StudyEpoch(e.Epoch, e.Loss, e.TrainingAccuracy, e.ValidationAccuracy, e.Seconds, units[i])).ToList();
        bool[] correct = final.Predictions.Select((prediction, i) => prediction == final.Labels[i]).ToArray();
        return new StudyCell(cell.Key, cell.Recipe, CodeCommit(), Machine(), training.Count, validation.Count, test.Count, result.BestEpoch,
            result.ValidationAccuracy, final.Accuracy, history.FirstOrDefault(e => e.ValidationAccuracy >= cell.Dataset.TargetAccuracy)?.Epoch,
            Math.Round(result.Elapsed.TotalSeconds, 1), initial!, history, finalUnits,
            StudyCell.EncodePredictions(final.Predictions), StudyCell.EncodeCorrect(correct));
    }

    private (PreparedDigits Training, PreparedDigits Validation, PreparedDigits Test) Load(string dataset)
    {
        if (!datasets.TryGetValue(dataset, out var parts))
        {
            DigitSplits splits = DigitSplits.Load(DataDirectory(dataset));
            // A folder with the 10,000-digit subset would be split into a small test set of its own: the full study
            // must not pass that off as the official test set.
            if (plan.ImageLimit is null && (splits.Training.Count + splits.Validation.Count != StudyDataset.FullTrainingImages || splits.Test.Count != StudyDataset.FullTestImages))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{DataDirectory(dataset)} holds {splits.Training.Count + splits.Validation.Count:N0} training and {splits.Test.Count:N0} test images; the study needs the dataset's own " +
                    $"{StudyDataset.FullTrainingImages:N0} training and {StudyDataset.FullTestImages:N0} test images (the train-… and t10k-… IDX files)."));
            StudyDataset study = StudyDataset.Get(dataset);
            parts = (study.Prepare(Limit(splits.Training)), study.Prepare(Limit(splits.Validation)), study.Prepare(Limit(splits.Test)));
            datasets[dataset] = parts;
            log.WriteLine($"{splits.Name}: {parts.Training.Count} training, {parts.Validation.Count} validation, {parts.Test.Count} test images");
            DescribeData(splits.Name, dataset, parts.Training.Count, parts.Validation.Count, parts.Test.Count);
        }
        return parts;
    }

    private void DescribeData(string name, string dataset, int training, int validation, int test) =>
        dataLines[dataset] = string.Create(CultureInfo.InvariantCulture,
            $"- Data of {dataset}: {name}; {training:N0} images to train on, {validation:N0} to validate on, {test:N0} to test on; data checksum {checksums[dataset]}.\n");

    private DigitDataset Limit(DigitDataset dataset) =>
        plan.ImageLimit is { } limit && dataset.Count > limit
            ? dataset.Subset(Enumerable.Range(0, limit).Select(i => (int)((long)i * dataset.Count / limit)).ToArray())
            : dataset;

    // The SDK writes the commit into the informational version as "1.0.0+<sha>".
    private static string CodeCommit() =>
        typeof(StudyRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+') is [_, var commit] ? commit : "unknown";

    private static string Machine()
    {
        string processor = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                processor = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? processor;
        }
        catch (IOException)
        {
            // The architecture alone still says something.
        }
        return string.Create(CultureInfo.InvariantCulture, $"{processor}, {Environment.ProcessorCount} cores");
    }

    // The run's clock and how fast its epochs go against their estimates.
    private sealed class StudyClock(Stopwatch watch)
    {
        public Stopwatch Watch { get; } = watch;

        public double EstimatedDone { get; set; }

        public double Pace => EstimatedDone <= 0 ? 1 : Watch.Elapsed.TotalSeconds / EstimatedDone;
    }
}
