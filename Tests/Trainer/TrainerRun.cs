using Trainer.Commands;

namespace Tests.Trainer;

/// <summary>Runs the Trainer's command line in this process, as <c>dotnet run --project Trainer -- …</c> would, capturing what it writes.</summary>
internal static class TrainerRun
{
    public static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = TrainerCommandLine.Create().Parse(args).Invoke(new() { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
