using System.Globalization;
using Contracts;
using Engine.Activations;
using Engine.Data;
using Engine.Inference;
using Engine.Networks;
using Engine.Training;
using Trainer.Study;

// Trains and evaluates the digit classifiers. Usage:
//   dotnet run --project Trainer -c Release -- train [--architecture baseline|enhanced|all] [--activation ID|all] [--epochs N] [--seed N] [--batch N] [--lr X] [--weight-decay X] [--shift PIXELS] [--patience N] [--data DIR] [--output DIR]
//   dotnet run --project Trainer -c Release -- evaluate [--models DIR] [--data DIR]
//   dotnet run --project Trainer -c Release -- study [--smoke] [--report] [--output DIR] [--mnist DIR] [--fashion DIR]
var arguments = CommandLine.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine("""
        usage: Trainer train    [--architecture baseline|enhanced|all] [--activation ID|all] [--epochs N] [--seed N] [--batch N] [--lr X]
                        [--weight-decay X] [--shift PIXELS] [--patience N] [--data DIR] [--output DIR]
               Trainer evaluate [--models DIR] [--data DIR]
               Trainer study    [--smoke] [--report] [--output DIR] [--mnist DIR] [--fashion DIR]
        """);
    return 2;
}

if (arguments.Command == "study")
{
    return RunStudy(arguments);
}

try
{
    string dataDirectory = arguments.Get("data", Path.Combine("data", "mnist"));
    DigitSplits data = DigitSplits.Load(dataDirectory);
    Console.WriteLine($"{data.Name}: {data.Split.Training} training, {data.Split.Validation} validation, {data.Split.Test} test images (split seed {data.Split.Seed})");
    return arguments.Command switch
    {
        "train" => Train(arguments, data),
        _ => Evaluate(arguments, data),
    };
}
catch (Exception exception) when (exception is IOException or ArgumentException or InvalidDataException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

static int Train(CommandLine arguments, DigitSplits data)
{
    string activationId = arguments.Get("activation", "all");
    IReadOnlyList<ActivationFunction> activations = activationId == "all" ? ActivationFunctions.Served : [ActivationFunctions.Get(activationId)];
    string architectureName = arguments.Get("architecture", "all");
    IReadOnlyList<NetworkArchitecture> architectures = architectureName == "all" ? NetworkArchitecture.All : [NetworkArchitecture.Get(architectureName)];
    string output = arguments.Get("output", "models");

    foreach (NetworkArchitecture architecture in architectures)
    {
        TrainingOptions defaults = TrainingOptions.For(architecture);
        TrainingOptions options = defaults with
        {
            Epochs = arguments.GetInt("epochs", defaults.Epochs),
            Seed = arguments.GetInt("seed", defaults.Seed),
            BatchSize = arguments.GetInt("batch", defaults.BatchSize),
            LearningRate = arguments.GetFloat("lr", defaults.LearningRate),
            MaxShift = arguments.GetInt("shift", defaults.MaxShift),
            WeightDecay = arguments.GetFloat("weight-decay", defaults.WeightDecay),
            Patience = arguments.GetInt("patience", defaults.Patience),
        };
        foreach (ActivationFunction activation in activations)
        {
            Console.WriteLine($"training {architecture.Name}-{activation.Id}: {TrainingPipeline.Describe(options)}; seed {options.Seed}");
            ModelCard card = TrainingPipeline.Run(architecture, activation, data, options, output, new Progress());
            string units = string.Join(", ", card.Units!.Select(u => $"{u.Layer} {u.Dead}/{u.Units} dead, {u.Dormant} dormant"));
            Console.WriteLine($"{card.Name}: test accuracy {card.TestAccuracy:P2} (best epoch {card.BestEpoch} of {card.Epochs}, validation {card.ValidationAccuracy:P2}, " +
                              $"{card.TrainingSeconds:F0} s); units: {units}; ONNX Runtime agrees on every test image; wrote {Path.Combine(output, card.OnnxFile)}");
        }
    }
    return 0;
}

static int RunStudy(CommandLine arguments)
{
    bool smoke = arguments.Options.ContainsKey("smoke");
    StudyPlan plan = smoke ? StudyPlan.Smoke : StudyPlan.Full;
    string output = arguments.Get("output", smoke ? Path.Combine(Path.GetTempPath(), "digits-study-smoke") : Path.Combine("docs", "study"));
    var data = new Dictionary<string, string>
    {
        ["mnist"] = arguments.Get("mnist", Path.Combine("data", "mnist")),
        ["fashion"] = arguments.Get("fashion", "/usr/share/datasets/fashion-mnist"),
    };
    IReadOnlyList<ActivationFunction> activations = smoke ? [ActivationFunctions.Get("relu_softsign")] : ActivationFunctions.All;
    try
    {
        string cellsDirectory = Path.Combine(output, "cells");
        // --report redraws the tables and plots from the cells already done, without training anything.
        IReadOnlyList<StudyCell> cells = arguments.Options.ContainsKey("report")
            ? StudyReport.Load(cellsDirectory)
            : new StudyRunner(plan, data, cellsDirectory, Console.Out, new Progress()).Run(activations);
        IReadOnlyList<string> written = StudyReport.Write(cells, output, plan.Describe(activations));
        Console.WriteLine($"study: {cells.Count} cells; wrote {string.Join(", ", written)}");
        return 0;
    }
    catch (Exception exception) when (exception is IOException or ArgumentException or InvalidDataException or KeyNotFoundException or FormatException)
    {
        Console.Error.WriteLine($"error: {exception.Message}");
        return 1;
    }
}

static int Evaluate(CommandLine arguments, DigitSplits data)
{
    string models = arguments.Get("models", "models");
    PreparedDigits test = PreparedDigits.From(data.Test);
    Console.WriteLine("| model | activation | card accuracy | ONNX Runtime accuracy |");
    Console.WriteLine("|---|---|---|---|");
    int failures = 0;
    foreach (string cardPath in Directory.EnumerateFiles(models, "*.json").Order(StringComparer.Ordinal))
    {
        ModelCard card = ModelCardFile.Read(cardPath);
        float[] probabilities = TrainingPipeline.ClassifyWithOnnxRuntime(Path.Combine(models, card.OnnxFile), card, test);
        int[] predictions = Enumerable.Range(0, test.Count)
            .Select(i => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * DigitModel.Classes, DigitModel.Classes)))
            .ToArray();
        double accuracy = new Evaluation(predictions, test.Labels).Accuracy;
        failures += accuracy == card.TestAccuracy ? 0 : 1;
        Console.WriteLine($"| {card.Name} | {card.Activation} | {card.TestAccuracy:P2} | {accuracy:P2} |");
    }
    return failures == 0 ? 0 : 1;
}

/// <summary>Prints training progress on one line per epoch.</summary>
sealed class Progress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        string line = $"  epoch {p.Epoch}/{p.Epochs} {p.EpochFraction,4:P0}  loss {p.Loss:F4}  train {p.Accuracy:P2}" +
                      (p.ValidationAccuracy is { } v ? $"  validation {v:P2}" : "") +
                      $"  elapsed {p.Elapsed:mm\\:ss}  left {p.Remaining:mm\\:ss}";
        if (p.ValidationAccuracy is null && !Console.IsOutputRedirected)
        {
            Console.Write($"\r{line}");
        }
        else if (p.ValidationAccuracy is not null)
        {
            Console.WriteLine(Console.IsOutputRedirected ? line : $"\r{line}");
        }
    }
}

/// <summary>A command followed by <c>--name value</c> options.</summary>
sealed record CommandLine(string Command, IReadOnlyDictionary<string, string> Options)
{
    public static CommandLine? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("train" or "evaluate" or "study"))
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }
            // A flag is an option without a value: the next argument is another option, or there is none.
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[args[i][2..]] = hasValue ? args[++i] : "";
        }
        return new CommandLine(args[0], options);
    }

    public string Get(string name, string fallback) => Options.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) =>
        Options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public float GetFloat(string name, float fallback) =>
        Options.TryGetValue(name, out string? text) ? float.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
