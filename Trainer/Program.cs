using System.Globalization;
using Contracts;
using Engine.Activations;
using Engine.Data;
using Engine.Inference;
using Engine.Training;

// Trains and evaluates the digit classifiers. Usage:
//   dotnet run --project Trainer -c Release -- train [--activation ID|all] [--epochs N] [--seed N] [--batch N] [--lr X] [--weight-decay X] [--shift PIXELS] [--data DIR] [--output DIR]
//   dotnet run --project Trainer -c Release -- evaluate [--models DIR] [--data DIR]
var arguments = CommandLine.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine("""
        usage: Trainer train    [--activation ID|all] [--epochs N] [--seed N] [--batch N] [--lr X] [--weight-decay X] [--shift PIXELS] [--data DIR] [--output DIR]
               Trainer evaluate [--models DIR] [--data DIR]
        """);
    return 2;
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
catch (Exception exception) when (exception is IOException or ArgumentException or InvalidDataException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

static int Train(CommandLine arguments, DigitSplits data)
{
    string activationId = arguments.Get("activation", "all");
    IReadOnlyList<ActivationFunction> activations = activationId == "all" ? ActivationFunctions.All : [ActivationFunctions.Get(activationId)];
    var options = new TrainingOptions
    {
        Epochs = int.Parse(arguments.Get("epochs", "30"), CultureInfo.InvariantCulture),
        Seed = int.Parse(arguments.Get("seed", "1"), CultureInfo.InvariantCulture),
        BatchSize = int.Parse(arguments.Get("batch", "32"), CultureInfo.InvariantCulture),
        LearningRate = float.Parse(arguments.Get("lr", "0.005"), CultureInfo.InvariantCulture),
        MaxShift = int.Parse(arguments.Get("shift", "2"), CultureInfo.InvariantCulture),
        WeightDecay = float.Parse(arguments.Get("weight-decay", "0.05"), CultureInfo.InvariantCulture),
    };
    string output = arguments.Get("output", "models");

    foreach (ActivationFunction activation in activations)
    {
        Console.WriteLine($"training baseline-{activation.Id}: {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}");
        ModelCard card = TrainingPipeline.Run(activation, data, options, output, new Progress());
        Console.WriteLine($"{card.Name}: test accuracy {card.TestAccuracy:P2} (best epoch {card.BestEpoch}, validation {card.ValidationAccuracy:P2}, " +
                          $"{card.TrainingSeconds:F0} s); ONNX Runtime agrees on every test image; wrote {Path.Combine(output, card.OnnxFile)}");
    }
    return 0;
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
        int[] predictions = TrainingPipeline.PredictWithOnnxRuntime(Path.Combine(models, card.OnnxFile), card, test);
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
        if (args.Length == 0 || args[0] is not ("train" or "evaluate") || args.Length % 2 == 0)
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }
            options[args[i][2..]] = args[i + 1];
        }
        return new CommandLine(args[0], options);
    }

    public string Get(string name, string fallback) => Options.GetValueOrDefault(name, fallback);
}
