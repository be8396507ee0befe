using System.CommandLine;
using Contracts;
using Engine.Activations;
using Engine.Networks;
using Trainer.Progress;
using Training.Data;
using Training.Pipeline;

namespace Trainer.Commands;

/// <summary><c>train</c>: trains, tests and exports models with a card each.</summary>
public sealed class TrainCommand : Command
{
    private const string All = "all";

    private readonly Option<string> architecture = new Option<string>("--architecture")
    {
        Description = "The network to train",
        HelpName = "NAME",
        DefaultValueFactory = _ => All,
    }.AcceptOnlyFromAmong([.. NetworkArchitecture.All.Select(a => a.Name), All]);

    private readonly Option<string> activation = new Option<string>("--activation")
    {
        Description = "The activation function to train with",
        HelpName = "ID",
        DefaultValueFactory = _ => All,
    }.AcceptOnlyFromAmong([.. ActivationFunctions.Ids, All]);

    private readonly Option<int?> epochs = CommandOptions.PerArchitecture(
        "--epochs", "The most passes over the training digits", "N", o => o.Epochs, v => v >= 1, "at least 1");

    private readonly Option<int?> seed = CommandOptions.PerArchitecture(
        "--seed", "Seed of initialisation, shuffling, augmentation, dropout and noise", "N", o => o.Seed, _ => true, "any integer");

    private readonly Option<int?> batch = CommandOptions.PerArchitecture(
        "--batch", "Digits per optimiser step", "N", o => o.BatchSize, v => v >= 4, "at least 4");

    private readonly Option<float?> learningRate = CommandOptions.PerArchitecture(
        "--lr", "Adam's learning rate in the first epoch (cosine decay to a twentieth)", "RATE", o => o.LearningRate, v => v > 0 && float.IsFinite(v), "positive");

    private readonly Option<float?> weightDecay = CommandOptions.PerArchitecture(
        "--weight-decay", "Decoupled weight decay", "X", o => o.WeightDecay, v => v >= 0 && float.IsFinite(v), "0 or more");

    private readonly Option<int?> shift = CommandOptions.PerArchitecture(
        "--shift", "Largest random shift of a training digit, in pixels (0: none)", "PIXELS", o => o.MaxShift, v => v is >= 0 and <= 8, "between 0 and 8");

    private readonly Option<float?> rotation = CommandOptions.PerArchitecture(
        "--rotation", "Largest random rotation of a training digit, in degrees (0: none)", "DEGREES", o => o.MaxRotationDegrees, v => v is >= 0 and <= 180, "between 0 and 180");

    private readonly Option<float?> scale = CommandOptions.PerArchitecture(
        "--scale", "Largest random scaling of a training digit, as a fraction (0: none)", "X", o => o.MaxScale, v => v is >= 0 and < 1, "at least 0 and below 1");

    private readonly Option<int?> patience = CommandOptions.PerArchitecture(
        "--patience", "Stop after this many epochs without a better validation accuracy (0: never)", "N", o => o.Patience, v => v >= 0, "0 or more");

    private readonly Option<DirectoryInfo> data = CommandOptions.DataDirectory();

    private readonly Option<DirectoryInfo> output = new("--output")
    {
        Description = "Folder to write NAME.onnx and its card NAME.json to",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo("models"),
    };

    /// <summary>Creates the command with its options.</summary>
    public TrainCommand()
        : base("train", "Train models: each is tested, exported to ONNX, checked against ONNX Runtime and given a card with its exact recipe")
    {
        Options.Add(architecture);
        Options.Add(activation);
        Options.Add(epochs);
        Options.Add(seed);
        Options.Add(batch);
        Options.Add(learningRate);
        Options.Add(weightDecay);
        Options.Add(shift);
        Options.Add(rotation);
        Options.Add(scale);
        Options.Add(patience);
        Options.Add(data);
        Options.Add(output);
        SetAction(Run);
    }

    private int Run(ParseResult parseResult)
    {
        TextWriter log = parseResult.InvocationConfiguration.Output;
        string architectureName = parseResult.GetRequiredValue(architecture);
        string activationId = parseResult.GetRequiredValue(activation);
        IReadOnlyList<NetworkArchitecture> architectures = architectureName == All ? NetworkArchitecture.All : [NetworkArchitecture.Get(architectureName)];
        IReadOnlyList<ActivationFunction> activations = activationId == All ? ActivationFunctions.Served : [ActivationFunctions.Get(activationId)];
        string outputDirectory = parseResult.GetRequiredValue(output).FullName;
        try
        {
            DigitSplits digits = DigitSplits.Load(parseResult.GetRequiredValue(data).FullName);
            log.WriteLine($"{digits.Name}: {digits.Split.Training} training, {digits.Split.Validation} validation, {digits.Split.Test} test images (split seed {digits.Split.Seed})");
            return TrainingDisplay.Show(log, display =>
            {
                foreach (NetworkArchitecture network in architectures)
                {
                    TrainingOptions options = TrainingOptionsFor(parseResult, network);
                    foreach (ActivationFunction function in activations)
                    {
                        string name = $"{network.Name}-{function.Id}";
                        display.Log.WriteLine($"training {name}: {TrainingPipeline.Describe(options)}; seed {options.Seed}");
                        ModelCard card = display.Run(name, progress => TrainingPipeline.Run(network, function, digits, options, outputDirectory, progress));
                        display.Log.WriteLine(Summary(card, outputDirectory));
                    }
                }
                return 0;
            });
        }
        catch (Exception exception) when (CommandOptions.IsUserError(exception))
        {
            return CommandOptions.Fail(parseResult, exception);
        }
    }

    // The architecture's defaults, with the options given on the command line.
    private TrainingOptions TrainingOptionsFor(ParseResult parseResult, NetworkArchitecture network)
    {
        TrainingOptions defaults = TrainingOptions.For(network);
        return defaults with
        {
            Epochs = parseResult.GetValue(epochs) ?? defaults.Epochs,
            Seed = parseResult.GetValue(seed) ?? defaults.Seed,
            BatchSize = parseResult.GetValue(batch) ?? defaults.BatchSize,
            LearningRate = parseResult.GetValue(learningRate) ?? defaults.LearningRate,
            WeightDecay = parseResult.GetValue(weightDecay) ?? defaults.WeightDecay,
            MaxShift = parseResult.GetValue(shift) ?? defaults.MaxShift,
            MaxRotationDegrees = parseResult.GetValue(rotation) ?? defaults.MaxRotationDegrees,
            MaxScale = parseResult.GetValue(scale) ?? defaults.MaxScale,
            Patience = parseResult.GetValue(patience) ?? defaults.Patience,
        };
    }

    private static string Summary(ModelCard card, string outputDirectory)
    {
        string units = string.Join(", ", card.Units!.Select(u => $"{u.Layer} {u.Dead}/{u.Units} dead, {u.Dormant} dormant"));
        return $"{card.Name}: test accuracy {card.TestAccuracy:P2} (best epoch {card.BestEpoch} of {card.Epochs}, validation {card.ValidationAccuracy:P2}, " +
               $"{card.TrainingSeconds:F0} s); units: {units}; ONNX Runtime agrees on every test image; " +
               $"weights SHA-256 {card.WeightsSha256}; wrote {Path.Combine(outputDirectory, card.OnnxFile)}";
    }
}
