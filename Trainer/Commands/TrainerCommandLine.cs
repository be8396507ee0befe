using System.CommandLine;

namespace Trainer.Commands;

/// <summary>The Trainer's command line: one command per job, each with <c>--help</c>; an unknown or misspelled option is an error.</summary>
public static class TrainerCommandLine
{
    /// <summary>The root command with <c>train</c>, <c>evaluate</c>, <c>verify</c> and <c>study</c>.</summary>
    public static RootCommand Create() => new("Trains, evaluates and verifies the digit classifiers, and runs the activation study")
    {
        new TrainCommand(),
        new EvaluateCommand(),
        new VerifyCommand(),
        new StudyCommand(),
    };
}
