using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engine.Networks;
using Trainer.Commands;
using Training.Pipeline;

namespace Tests.Api;

/// <summary>
/// The service ships no training code: the training pipeline lives in the Training library, which neither Api nor
/// any library Api uses references, and Engine (which the service runs) defines none of its types.
/// </summary>
public partial class ServingCodeTests
{
    private static readonly string[] TrainingAssemblies = ["Training", "Trainer"];

    [Fact]
    public void Api_ReferencesNoTrainingAssembly_DirectlyOrThroughItsLibraries()
    {
        IReadOnlySet<string> reachable = RepositoryAssembliesReachableFrom(typeof(Program).Assembly);

        Assert.Contains("Engine", reachable);
        Assert.All(TrainingAssemblies, training => Assert.DoesNotContain(training, reachable));
    }

    [Fact]
    public void ApiDependencyFile_ListsNoTrainingProject()
    {
        // The compiler leaves out a reference nothing uses, so the assembly walk would miss a project reference that
        // still copies Training.dll into the published folder; Api.deps.json lists every project that is copied.
        using JsonDocument dependencies = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api.deps.json")));
        string[] projects = [.. dependencies.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(static library => library.Value.GetProperty("type").GetString() == "project")
            .Select(static library => library.Name.Split('/')[0])];

        Assert.Contains("Engine", projects);
        Assert.All(TrainingAssemblies, training => Assert.DoesNotContain(training, projects));
    }

    [Fact]
    public void ReferenceWalk_FindsTheTrainingLibrary_FromTheTrainer()
    {
        // The walk that clears Api must see Training where it is used, or clearing Api would prove nothing.
        IReadOnlySet<string> reachable = RepositoryAssembliesReachableFrom(typeof(TrainCommand).Assembly);

        Assert.Contains("Training", reachable);
        Assert.Contains("Engine", reachable);
    }

    [Fact]
    public void Engine_DefinesNoTypeOfTheTrainingLibrary()
    {
        Assembly engine = typeof(Network).Assembly;
        Type[] trainingTypes = [.. OwnTypes(typeof(TrainingPipeline).Assembly)];
        var engineTypeNames = OwnTypes(engine).Select(static t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(trainingTypes, static t => t.Name == "NetworkTrainer");
        Assert.Contains(trainingTypes, static t => t.Name == "AdamOptimizer");
        Assert.Contains(trainingTypes, static t => t.Name == "NetworkOnnxExporter");
        Assert.Contains(trainingTypes, static t => t.Name == "OnnxGraphBuilder");
        Assert.All(trainingTypes, t => Assert.DoesNotContain(t.Name, engineTypeNames));
        Assert.DoesNotContain(OwnTypes(engine), static t => t.Namespace is "Engine.Training" or "Engine.Data" || t.Namespace!.StartsWith("Training", StringComparison.Ordinal));
    }

    // The names of the repository's projects (from Service.sln) reachable by references from `root`, following
    // only the repository's own assemblies: a library between Api and Training would be walked through too.
    private static HashSet<string> RepositoryAssembliesReachableFrom(Assembly root)
    {
        HashSet<string> projects = [.. SolutionProject().Matches(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "Service.sln"))).Select(static m => m.Groups[1].Value)];
        Assert.Contains("Training", projects);
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out Assembly? assembly))
        {
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is string name && projects.Contains(name) && reachable.Add(name))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }
        return reachable;
    }

    private static IEnumerable<Type> OwnTypes(Assembly assembly) => assembly.GetTypes().Where(static t =>
        !t.IsNested
        && !t.Name.StartsWith('<')
        && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null
        && t.Namespace is string ns && !ns.StartsWith("System", StringComparison.Ordinal) && !ns.StartsWith("Microsoft", StringComparison.Ordinal));

    [GeneratedRegex("""^Project\("\{[0-9A-F-]+\}"\) = "([^"]+)", "[^"]+\.csproj""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();
}
