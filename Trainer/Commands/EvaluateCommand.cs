using System.CommandLine;
using System.Numerics.Tensors;
using Contracts;
using Engine.Inference;
using Training.Data;
using Training.Pipeline;

namespace Trainer.Commands;

/// <summary><c>evaluate</c>: runs every model in a folder with ONNX Runtime on the test digits and compares its accuracy with its card's.</summary>
public sealed class EvaluateCommand : Command
{
    private readonly Option<DirectoryInfo> models = CommandOptions.ModelsDirectory();
    private readonly Option<DirectoryInfo> data = CommandOptions.DataDirectory();

    /// <summary>Creates the command with its options.</summary>
    public EvaluateCommand()
        : base("evaluate", "Run every model with ONNX Runtime on the test digits; fails when an accuracy differs from its card's")
    {
        Options.Add(models);
        Options.Add(data);
        SetAction(Run);
    }

    private int Run(ParseResult parseResult)
    {
        TextWriter log = parseResult.InvocationConfiguration.Output;
        string modelsDirectory = parseResult.GetRequiredValue(models).FullName;
        try
        {
            DigitSplits digits = DigitSplits.Load(parseResult.GetRequiredValue(data).FullName);
            log.WriteLine($"{digits.Name}: {digits.Split.Test} test images");
            PreparedDigits test = PreparedDigits.From(digits.Test);
            log.WriteLine("| model | activation | card accuracy | ONNX Runtime accuracy |");
            log.WriteLine("|---|---|---|---|");
            int failures = 0;
            int otherData = 0;
            foreach (string cardPath in Directory.EnumerateFiles(modelsDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                ModelCard card = ModelCardFile.Read(cardPath);
                if (!card.WasTestedOn(digits))
                {
                    // Another test set gives another accuracy: comparing the two would prove nothing.
                    otherData++;
                    log.WriteLine($"| {card.Name} | {card.Activation} | {card.TestAccuracy:P2} on other data ({card.Dataset}) | not compared |");
                    continue;
                }
                float[] probabilities = TrainingPipeline.ClassifyWithOnnxRuntime(Path.Combine(modelsDirectory, card.OnnxFile), card, test);
                int[] predictions = Enumerable.Range(0, test.Count)
                    .Select(i => TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * DigitModel.Classes, DigitModel.Classes)))
                    .ToArray();
                double accuracy = new Evaluation(predictions, test.Labels).Accuracy;
                failures += accuracy == card.TestAccuracy ? 0 : 1;
                log.WriteLine($"| {card.Name} | {card.Activation} | {card.TestAccuracy:P2} | {accuracy:P2} |");
            }
            if (otherData > 0)
            {
                log.WriteLine($"{otherData} models were tested on other data than '{digits.Name}' and were not compared.");
            }
            return failures == 0 ? 0 : 1;
        }
        catch (Exception exception) when (CommandOptions.IsUserError(exception))
        {
            return CommandOptions.Fail(parseResult, exception);
        }
    }
}
