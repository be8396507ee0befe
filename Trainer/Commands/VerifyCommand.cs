using System.CommandLine;
using Contracts;
using Engine.Numerics;
using Trainer.Progress;
using Trainer.Verification;
using Training.Pipeline;

namespace Trainer.Commands;

/// <summary><c>verify NAME</c>: trains a model again from its card and checks that the weights and the accuracy come out the same.</summary>
public sealed class VerifyCommand : Command
{
    private readonly Argument<string> name = new("NAME") { Description = "The model, e.g. enhanced-relu (its card is models/NAME.json)" };
    private readonly Option<DirectoryInfo> models = CommandOptions.ModelsDirectory();
    private readonly Option<DirectoryInfo> data = CommandOptions.DataDirectory();

    /// <summary>Creates the command with its argument and options.</summary>
    public VerifyCommand()
        : base("verify", "Train a model again from the recipe on its card and check the weights (bit for bit) and the test accuracy; " +
                         "exits with 1 on any difference. Bit-for-bit equality is expected only on the same kind of CPU.")
    {
        Arguments.Add(name);
        Options.Add(models);
        Options.Add(data);
        SetAction(Run);
    }

    private int Run(ParseResult parseResult)
    {
        TextWriter log = parseResult.InvocationConfiguration.Output;
        string model = parseResult.GetRequiredValue(name);
        try
        {
            ModelCard card = ModelVerifier.ReadCard(parseResult.GetRequiredValue(models).FullName, model);
            WriteCard(card, CpuVectorSupport.Describe(), log);
            ModelVerification verification = TrainingDisplay.Show(log, display => display.Run(model, progress =>
                ModelVerifier.Verify(card, parseResult.GetRequiredValue(data).FullName, progress)));
            WriteFindings(verification, log);
            return verification.Reproduced ? 0 : 1;
        }
        catch (Exception exception) when (CommandOptions.IsUserError(exception))
        {
            return CommandOptions.Fail(parseResult, exception);
        }
    }

    /// <summary>Writes what is about to be verified, and on what CPU.</summary>
    public static void WriteCard(ModelCard card, string cpu, TextWriter log)
    {
        log.WriteLine($"model: {card.Name}, trained {card.TrainedAt:yyyy-MM-dd HH:mm} UTC by code {GitCodeVersion.Describe(card.Code)}");
        log.WriteLine($"code here: {GitCodeVersion.Describe(GitCodeVersion.Read())}");
        log.WriteLine($"recipe SHA-256: {card.RecipeSha256}");
        log.WriteLine($"CPU of the card: {card.Cpu ?? "not recorded"}");
        log.WriteLine($"CPU here:        {cpu}");
        log.WriteLine(card.Cpu == cpu
            ? "Bit-for-bit equality is expected only on the same kind of CPU (the same vector instructions); this is the same kind."
            : "Bit-for-bit equality is expected only on the same kind of CPU (the same vector instructions); this one differs, so the weights may differ in their last bits.");
    }

    /// <summary>Writes what <paramref name="verification"/> found, one fact a line, the verdict last.</summary>
    public static void WriteFindings(ModelVerification verification, TextWriter log)
    {
        ModelCard card = verification.Card;
        foreach (string problem in verification.Problems)
        {
            log.WriteLine($"MISMATCH: {problem}");
        }
        if (verification.Retrained is { } again)
        {
            log.WriteLine($"data: every file's SHA-256 and the split match the card ({card.Recipe!.DataFiles.Count} files)");
            log.WriteLine(verification.WeightsMatch
                ? $"weights: equal, bit for bit (SHA-256 {again.WeightsSha256})"
                : $"weights: DIFFERENT: card SHA-256 {card.WeightsSha256}, trained again {again.WeightsSha256}");
            log.WriteLine(verification.AccuracyMatches
                ? $"test accuracy: equal ({again.TestAccuracy:P2}, best epoch {again.BestEpoch} of {again.Epochs})"
                : $"test accuracy: DIFFERENT: card {card.TestAccuracy:P2} (best epoch {card.BestEpoch}), trained again {again.TestAccuracy:P2} (best epoch {again.BestEpoch})");
        }
        else
        {
            log.WriteLine("The model was not trained again: the card or the data is not what it was.");
        }
        log.WriteLine(verification.Reproduced ? $"{card.Name}: reproduced" : $"{card.Name}: NOT reproduced");
    }
}
