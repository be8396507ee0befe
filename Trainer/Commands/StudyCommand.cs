using System.CommandLine;
using Trainer.Progress;
using Trainer.Study;

namespace Trainer.Commands;

/// <summary><c>study</c>: the activation study, or its report redrawn from the cells already done.</summary>
public sealed class StudyCommand : Command
{
    private readonly Option<bool> smoke = new("--smoke")
    {
        Description = "300 images of each part, three activations, one or two epochs per cell: checks that every kind of cell runs and the report draws",
    };

    private readonly Option<bool> report = new("--report")
    {
        Description = "Redraw the tables and plots from the cells already done, without training",
    };

    private readonly Option<DirectoryInfo?> output = new("--output")
    {
        Description = "Folder of the report and its cells/ [default: docs/study; with --smoke a temporary folder]",
        HelpName = "DIR",
    };

    private readonly Option<DirectoryInfo> mnist = CommandOptions.DataDirectory("--mnist");

    private readonly Option<DirectoryInfo> fashion = new("--fashion")
    {
        Description = "Folder of Fashion-MNIST's IDX files",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo("/usr/share/datasets/fashion-mnist"),
    };

    /// <summary>Creates the command with its options.</summary>
    public StudyCommand()
        : base("study", "The activation study: trains every cell not yet done (it resumes where it stopped), then writes the report")
    {
        mnist.Description = "Folder of MNIST's IDX files";
        Options.Add(smoke);
        Options.Add(report);
        Options.Add(output);
        Options.Add(mnist);
        Options.Add(fashion);
        SetAction(Run);
    }

    private int Run(ParseResult parseResult)
    {
        TextWriter log = parseResult.InvocationConfiguration.Output;
        bool isSmoke = parseResult.GetValue(smoke);
        StudyPlan plan = isSmoke ? StudyPlan.Smoke : StudyPlan.Full;
        string outputDirectory = parseResult.GetValue(output)?.FullName
            ?? (isSmoke ? Path.Combine(Path.GetTempPath(), "digits-study-smoke") : Path.Combine("docs", "study"));
        var data = new Dictionary<string, string>
        {
            ["mnist"] = parseResult.GetRequiredValue(mnist).FullName,
            ["fashion"] = parseResult.GetRequiredValue(fashion).FullName,
        };
        try
        {
            string cellsDirectory = Path.Combine(outputDirectory, "cells");
            // --report reads the cells of the plan that are done, refusing any file that is not one of them.
            (IReadOnlyList<StudyCell> cells, string described) = parseResult.GetValue(report)
                ? Finished(new StudyRunner(plan, data, cellsDirectory, log))
                : TrainingDisplay.Show(log, display => display.Run("study cell", progress =>
                  {
                      var runner = new StudyRunner(plan, data, cellsDirectory, display.Log, progress);
                      return (runner.Run(), runner.Describe());
                  }));
            IReadOnlyList<string> written = StudyReport.Write(cells, plan, outputDirectory, described);
            log.WriteLine($"study: {cells.Count} cells; wrote {string.Join(", ", written)}");
            return 0;
        }
        catch (Exception exception) when (CommandOptions.IsUserError(exception))
        {
            return CommandOptions.Fail(parseResult, exception);
        }
    }

    private static (IReadOnlyList<StudyCell> Cells, string Described) Finished(StudyRunner runner)
    {
        IReadOnlyList<StudyCell> cells = runner.Finished();
        return (cells, runner.Describe());
    }
}
