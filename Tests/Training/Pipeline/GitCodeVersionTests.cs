using System.Diagnostics;
using Contracts;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

/// <summary>The code version a model card records, read from a throwaway git repository.</summary>
public sealed class GitCodeVersionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("git-code-version-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Outside_a_repository_the_commit_is_unknown()
    {
        Assert.Equal(new CodeVersion(null, false), GitCodeVersion.Read(directory));
        Assert.Equal("unknown (no git repository)", GitCodeVersion.Describe(GitCodeVersion.Read(directory)));
    }

    [Fact]
    public void In_a_repository_the_commit_is_heads_and_a_changed_code_file_makes_it_dirty_but_models_and_docs_do_not()
    {
        Directory.CreateDirectory(Path.Combine(directory, "Engine"));
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        Directory.CreateDirectory(Path.Combine(directory, "docs"));
        File.WriteAllText(Path.Combine(directory, "Engine", "Code.cs"), "class Code;");
        File.WriteAllText(Path.Combine(directory, "models", "m.json"), "{}");
        Git("init", "-q");
        Git("add", ".");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "code");
        string head = Git("rev-parse", "HEAD").Trim();
        string inside = Path.Combine(directory, "Engine");

        CodeVersion clean = GitCodeVersion.Read(inside);
        File.WriteAllText(Path.Combine(directory, "models", "m.json"), "{ \"trained\": true }");
        File.WriteAllText(Path.Combine(directory, "models", "new.onnx"), "");
        File.WriteAllText(Path.Combine(directory, "docs", "notes.md"), "notes");
        CodeVersion afterTraining = GitCodeVersion.Read(inside);
        File.WriteAllText(Path.Combine(directory, "Engine", "Code.cs"), "class Code { }");
        CodeVersion changed = GitCodeVersion.Read(inside);

        Assert.Matches("^[0-9a-f]{40}$", head);
        Assert.Equal(new CodeVersion(head, false), clean);
        Assert.Equal(new CodeVersion(head, false), afterTraining);
        Assert.Equal(new CodeVersion(head, true), changed);
        Assert.Equal($"{head} with uncommitted changes", GitCodeVersion.Describe(changed));
    }

    private string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process git = Process.Start(start)!;
        string output = git.StandardOutput.ReadToEnd();
        string error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
