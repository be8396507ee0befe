using System.CommandLine;
using System.Globalization;
using Engine.Networks;
using Training.Pipeline;

namespace Trainer.Commands;

/// <summary>Options several commands share, and the checks that keep option values in range.</summary>
public static class CommandOptions
{
    /// <summary>The MNIST folder that <c>scripts/fetch-mnist.sh</c> fills.</summary>
    public static string DefaultMnistDirectory { get; } = Path.Combine("data", "mnist");

    /// <summary>A folder of IDX files to read digits from.</summary>
    public static Option<DirectoryInfo> DataDirectory(string name = "--data") => new(name)
    {
        Description = "Folder of the IDX files (train-/t10k- images and labels, raw or .gz) and an optional NAME file",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultMnistDirectory),
    };

    /// <summary>The folder of model cards and ONNX files.</summary>
    public static Option<DirectoryInfo> ModelsDirectory() => new Option<DirectoryInfo>("--models")
    {
        Description = "Folder of the models: NAME.onnx and its card NAME.json",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo("models"),
    }.AcceptExistingOnly();

    /// <summary>
    /// A training option whose default depends on the architecture: left out, each architecture's default
    /// applies, which the help shows. <paramref name="field"/> reads the default from <see cref="TrainingOptions.For"/>;
    /// a value that is not a number or fails <paramref name="valid"/> is an error naming the option.
    /// </summary>
    public static Option<T?> PerArchitecture<T>(string name, string description, string helpName, Func<TrainingOptions, T> field, Func<T, bool> valid, string validRange)
        where T : struct, IParsable<T>, IFormattable => new(name)
    {
        Description = $"{description} [default: {ArchitectureDefaults(field)}]",
        HelpName = helpName,
        CustomParser = result =>
        {
            string token = result.Tokens.Single().Value;
            if (T.TryParse(token, CultureInfo.InvariantCulture, out T value) && valid(value))
            {
                return value;
            }
            result.AddError($"{name} must be {validRange}, not '{token}'.");
            return null;
        },
    };

    // "30" when every architecture agrees, else "32 for baseline, 64 for enhanced".
    private static string ArchitectureDefaults<T>(Func<TrainingOptions, T> field) where T : IFormattable
    {
        var defaults = NetworkArchitecture.All
            .Select(a => (a.Name, Value: field(TrainingOptions.For(a)).ToString(null, CultureInfo.InvariantCulture)))
            .ToArray();
        return defaults.Select(d => d.Value).Distinct().Count() == 1
            ? defaults[0].Value
            : string.Join(", ", defaults.Select(d => $"{d.Value} for {d.Name}"));
    }

    /// <summary>The error a command reports for a failure the user can fix (missing data, an unknown model).</summary>
    public static bool IsUserError(Exception exception) =>
        exception is IOException or ArgumentException or InvalidDataException or InvalidOperationException or FormatException or KeyNotFoundException or UnauthorizedAccessException;

    /// <summary>Writes <paramref name="exception"/>'s message as an error line and returns the exit code of a failed command.</summary>
    public static int Fail(ParseResult parseResult, Exception exception)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"error: {exception.Message}");
        return 1;
    }
}
