using System.ComponentModel;
using System.Diagnostics;
using Contracts;

namespace Training.Pipeline;

/// <summary>Reads which commit of the code is running, by asking git, for the model card.</summary>
public static class GitCodeVersion
{
    // Files that training writes or that cannot change a model: changing them does not make the code dirty,
    // so training several models in a row does not mark all but the first as trained by uncommitted code.
    private static readonly string[] NotCode = [":(top,exclude)models", ":(top,exclude)docs", ":(top,exclude)*.md"];

    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The commit checked out in the git work tree holding <paramref name="directory"/> (by default the running
    /// program's folder, which <c>dotnet run</c> and <c>dotnet test</c> build inside the repository), and whether
    /// the tree has uncommitted changes outside <c>models/</c>, <c>docs/</c> and Markdown files. Without git or
    /// a repository the commit is null.
    /// </summary>
    public static CodeVersion Read(string? directory = null)
    {
        directory ??= AppContext.BaseDirectory;
        string? commit = Git(directory, "rev-parse", "HEAD")?.Trim();
        if (string.IsNullOrEmpty(commit))
        {
            return new CodeVersion(null, false);
        }
        string? changes = Git(directory, ["status", "--porcelain", "--", ":/", .. NotCode]);
        // A tree whose status cannot be read is not known to be clean.
        return new CodeVersion(commit, changes is null || changes.Trim().Length > 0);
    }

    /// <summary>The version in words, e.g. <c>3f2a… (uncommitted changes)</c> or <c>unknown (no git repository)</c>.</summary>
    public static string Describe(CodeVersion? version) => version switch
    {
        null or { Commit: null } => "unknown (no git repository)",
        { Dirty: true } => $"{version.Commit} with uncommitted changes",
        _ => version.Commit!,
    };

    private static string? Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using Process git = Process.Start(start)!;
            Task<string> output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(GitTimeout))
            {
                git.Kill();
                return null;
            }
            return git.ExitCode == 0 ? output.Result : null;
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException or IOException)
        {
            // No git on this machine, or the folder is gone.
            return null;
        }
    }
}
