using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Contracts;
using Engine.Activations;
using Engine.Data;
using Engine.Training;

namespace Trainer.Study;

/// <summary>
/// Runs a <see cref="StudyPlan"/>: each cell is trained, measured after every epoch on the test set, and
/// written to its own JSON file the moment it finishes; cells whose file exists are skipped, so an interrupted
/// study resumes where it stopped. The report is rebuilt from all cell files at the end.
/// </summary>
public sealed class StudyRunner(
    StudyPlan plan, IReadOnlyDictionary<string, string> dataDirectories, string cellsDirectory, TextWriter log, IProgress<TrainingProgress>? progress = null)
{
    /// <summary>How the cell files are written and read.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        // A diverged run (the high-learning-rate experiment) has a NaN or infinite loss, and that is a result too.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly Dictionary<string, (PreparedDigits Training, PreparedDigits Validation, PreparedDigits Test)> datasets = [];

    /// <summary>Runs every cell not yet done and returns all cells of the plan that are done.</summary>
    public IReadOnlyList<StudyCell> Run(IReadOnlyList<ActivationFunction> activations, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(cellsDirectory);
        PlannedCell[] cells = plan.Cells(activations).ToArray();
        // Every dataset is loaded before the first cell, so a missing one stops the study at once, not hours in.
        foreach (string dataset in cells.Select(c => c.Dataset).Distinct())
        {
            Load(dataset);
        }
        var results = new List<StudyCell>();
        var clock = Stopwatch.StartNew();
        int ran = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PlannedCell cell = cells[i];
            // The key names everything that shapes the result, so a cell done under another plan is not reused.
            string key = plan.ImageLimit is { } limit ? $"{cell.Key}-first{limit}" : cell.Key;
            string path = Path.Combine(cellsDirectory, key + ".json");
            if (File.Exists(path))
            {
                results.Add(Read(path));
                continue;
            }

            log.WriteLine($"[{i + 1}/{cells.Length}] {cell.Key}: {cell.Options.Epochs} epochs, lr {cell.Options.LearningRate}");
            StudyCell result = RunCell(cell, cancellationToken);
            string temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(result, JsonOptions));
            File.Move(temporary, path, overwrite: true);
            results.Add(result);
            ran++;
            TimeSpan perCell = clock.Elapsed / ran;
            log.WriteLine($"[{i + 1}/{cells.Length}] {cell.Key}: test {result.TestAccuracy:P2} (best epoch {result.BestEpoch}), " +
                          $"{result.TrainingSeconds:F0} s training, dead {StudyStatistics.PooledDead(result.Final):P1}; " +
                          $"elapsed {clock.Elapsed:hh\\:mm\\:ss}, about {perCell * (cells.Length - i - 1):hh\\:mm} left at this pace");
        }
        return results;
    }

    private static StudyCell Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<StudyCell>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path} holds no study cell; delete it to run the cell again.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not a study cell ({exception.Message}); delete it to run the cell again.", exception);
        }
    }

    private StudyCell RunCell(PlannedCell cell, CancellationToken cancellationToken)
    {
        (PreparedDigits training, PreparedDigits validation, PreparedDigits test) = Load(cell.Dataset);
        UnitSnapshot? initial = null;
        var epochs = new List<(double Accuracy, UnitSnapshot Units)>();
        TrainingResult result = NetworkTrainer.Train(cell.Architecture, cell.Activation, training, validation, cell.Options, progress, (epoch, network) =>
        {
            (Evaluation evaluation, UnitSnapshot units) = UnitCensus.Take(network, test, epoch);
            if (epoch == 0)
            {
                initial = units;
            }
            else
            {
                epochs.Add((evaluation.Accuracy, units));
                log.WriteLine($"    epoch {epoch}: test {evaluation.Accuracy:P2}, dead {StudyStatistics.PooledDead(units):P1}, dormant {StudyStatistics.PooledDormant(units):P1}");
            }
        }, cancellationToken);
        (Evaluation final, UnitSnapshot finalUnits) = UnitCensus.Take(result.Network, test, result.BestEpoch);

        double target = StudyPlan.TargetAccuracy(cell.Dataset);
        var history = result.History
            .Select((e, i) => new StudyEpoch(e.Epoch, e.Loss, e.TrainingAccuracy, e.ValidationAccuracy, epochs[i].Accuracy, e.Seconds, epochs[i].Units))
            .ToList();
        return new StudyCell(cell.Experiment, cell.Architecture.Name, cell.Dataset, cell.Activation.Id, cell.Options.Seed, history.Count,
            cell.Options.LearningRate, training.Count, test.Count, final.Accuracy, result.BestEpoch, target,
            history.FirstOrDefault(e => e.TestAccuracy >= target)?.Epoch, Math.Round(result.Elapsed.TotalSeconds, 1),
            initial!, history, finalUnits);
    }

    private (PreparedDigits, PreparedDigits, PreparedDigits) Load(string dataset)
    {
        if (!datasets.TryGetValue(dataset, out var parts))
        {
            DigitSplits splits = DigitSplits.Load(dataDirectories[dataset]);
            Func<DigitDataset, PreparedDigits> prepare = dataset == "fashion" ? PreparedDigits.Scaled : PreparedDigits.From;
            parts = (prepare(Limit(splits.Training)), prepare(Limit(splits.Validation)), prepare(Limit(splits.Test)));
            datasets[dataset] = parts;
            log.WriteLine($"{splits.Name}: {parts.Item1.Count} training, {parts.Item2.Count} validation, {parts.Item3.Count} test images");
        }
        return parts;
    }

    private DigitDataset Limit(DigitDataset dataset) =>
        plan.ImageLimit is { } limit && dataset.Count > limit
            ? dataset.Subset(Enumerable.Range(0, limit).Select(i => (int)((long)i * dataset.Count / limit)).ToArray())
            : dataset;
}
