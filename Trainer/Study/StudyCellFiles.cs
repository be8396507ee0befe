using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trainer.Study;

/// <summary>
/// The study's cell files: one JSON file per cell, named after its recipe and key. Reading checks that a file is
/// what its name and key say; <see cref="CheckConsistent"/> refuses a folder that mixes recipes, data or code
/// versions, so a stale cell can never pass for an extra seed.
/// </summary>
public static class StudyCellFiles
{
    /// <summary>Hex digits of the key in a file name: enough to tell cells apart, short enough to read.</summary>
    public const int KeyDigitsInName = 12;

    private const int ProblemsShown = 20;

    /// <summary>How the cell files are written and read.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Names such as "28×28×1 → conv" stay readable in the files; the key is taken from its own canonical text.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        // A diverged run (the high-learning-rate experiment) has a NaN or infinite loss, and that is a result too.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The file name of a cell, e.g. <c>standard-mnist-enhanced-relu-seed1-3fa9c2d81b07.json</c>.</summary>
    public static string FileName(StudyRecipe recipe, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{recipe.Experiment}-{recipe.Dataset}-{recipe.Architecture}-{recipe.Activation}-seed{recipe.Seed}-{key[..KeyDigitsInName]}.json");

    /// <summary>Writes <paramref name="cell"/> to <paramref name="path"/> whole or not at all.</summary>
    public static void Write(string path, StudyCell cell)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(cell, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads one cell file and checks it against its own key and name.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a complete study cell, its recipe no longer hashes to its key (it was edited), its name does
    /// not carry its key, or its per-image results disagree with its accuracy. The message names the file.
    /// </exception>
    public static StudyCell Read(string path)
    {
        StudyCell? cell;
        try
        {
            cell = JsonSerializer.Deserialize<StudyCell>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not a study cell of this version ({exception.Message}); move it out of the cells folder or delete it.", exception);
        }
        if (cell is null)
            throw new InvalidDataException($"{path} holds no study cell; move it out of the cells folder or delete it.");
        string key = cell.Recipe.Key;
        if (key != cell.Key)
            throw new InvalidDataException($"{path}: its recipe hashes to {key}, not to the key {cell.Key} it was written with; the file was changed after it was made.");
        if (Path.GetFileName(path) != FileName(cell.Recipe, key))
            throw new InvalidDataException($"{path}: a cell with this recipe is named {FileName(cell.Recipe, key)}; a renamed or copied cell is not accepted.");
        try
        {
            bool[] correct = cell.Correct();
            int right = correct.Count(c => c);
            if (cell.Predictions().Length != cell.TestImages || correct.Length != cell.TestImages || (double)right / cell.TestImages != cell.TestAccuracy)
                throw new InvalidDataException($"{path}: its per-image predictions do not cover its {cell.TestImages} test images or do not give its test accuracy.");
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException($"{path}: its per-image predictions are not base64 ({exception.Message}).", exception);
        }
        return cell;
    }

    /// <summary>Reads every <c>*.json</c> file directly in <paramref name="directory"/>; none if it does not exist.</summary>
    /// <exception cref="InvalidDataException">A file is not a valid cell (see <see cref="Read"/>).</exception>
    public static IReadOnlyList<(string Path, StudyCell Cell)> ReadAll(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(path => (path, Read(path))).ToList()
            : [];

    /// <summary>
    /// Refuses cells that should not be reported together: two files for the same slot, cells of different study
    /// code versions, of different data for one dataset, or of one experiment and network whose recipes differ in
    /// more than activation and seed. With <paramref name="planned"/>, also every cell that is not one of the plan's
    /// (a stale recipe or a slot the plan does not have).
    /// </summary>
    /// <param name="files">The cells and the files they were read from.</param>
    /// <param name="planned">The plan's cells, or null to check the files only against each other.</param>
    /// <exception cref="InvalidDataException">Any of the above; the message names every file concerned.</exception>
    public static void CheckConsistent(IReadOnlyList<(string Path, StudyCell Cell)> files, IReadOnlyCollection<PlannedCell>? planned)
    {
        var problems = new List<string>();

        foreach (var slot in files.GroupBy(file => file.Cell.Recipe.Slot).Where(group => group.Count() > 1))
        {
            var (first, rest) = (slot.First(), slot.Skip(1));
            foreach (var other in rest)
                problems.Add($"{Name(first.Path)} and {Name(other.Path)} are the same cell ({slot.Key}) made with different recipes: {string.Join("; ", first.Cell.Recipe.Differences(other.Cell.Recipe))}");
        }

        var versions = files.GroupBy(file => file.Cell.Recipe.CodeVersion).OrderByDescending(group => group.Key).ToList();
        if (versions.Count > 1)
            problems.Add("cells of different study code versions: " + string.Join("; ", versions.Select(group => $"version {group.Key}: {Names(group)}")));

        foreach (var dataset in files.GroupBy(file => file.Cell.Recipe.Dataset))
        {
            var checksums = dataset.GroupBy(file => file.Cell.Recipe.DataChecksum).ToList();
            if (checksums.Count > 1)
                problems.Add($"cells of {dataset.Key} trained on different data: " + string.Join("; ", checksums.Select(group => $"checksum {group.Key[..KeyDigitsInName]}…: {Names(group)}")));
        }

        foreach (var block in files.GroupBy(file => (file.Cell.Recipe.Experiment, file.Cell.Recipe.Dataset, file.Cell.Recipe.Architecture)))
        {
            var recipes = block.GroupBy(file => (file.Cell.Recipe with { Activation = "", Seed = 0 }).CanonicalJson()).ToList();
            if (recipes.Count > 1)
            {
                StudyRecipe first = recipes[0].First().Cell.Recipe with { Activation = "", Seed = 0 };
                foreach (var other in recipes.Skip(1))
                    problems.Add($"{block.Key.Experiment} {block.Key.Dataset} {block.Key.Architecture}: {Names(recipes[0])} and {Names(other)} differ in more than activation and seed: " +
                                 string.Join("; ", first.Differences(other.First().Cell.Recipe with { Activation = "", Seed = 0 })));
            }
        }

        if (planned is not null)
        {
            var bySlot = planned.ToDictionary(cell => cell.Recipe.Slot);
            foreach ((string path, StudyCell cell) in files)
            {
                if (!bySlot.TryGetValue(cell.Recipe.Slot, out PlannedCell? plan))
                    problems.Add($"{Name(path)} is not a cell of this plan ({cell.Recipe.Slot})");
                else if (plan.Key != cell.Key)
                    problems.Add($"{Name(path)} is stale: {string.Join("; ", cell.Recipe.Differences(plan.Recipe))} (file → plan)");
            }
        }

        if (problems.Count == 0)
            return;
        string folder = files.Select(file => Path.GetDirectoryName(file.Path)).FirstOrDefault() ?? ".";
        var message = new StringBuilder($"{folder} holds cells that must not be reported together ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):");
        foreach (string problem in problems.Take(ProblemsShown))
            message.Append("\n- ").Append(problem);
        if (problems.Count > ProblemsShown)
            message.Append(CultureInfo.InvariantCulture, $"\n- … and {problems.Count - ProblemsShown} more");
        message.Append("\nMove the stale files out of the cells folder (or delete them) and run again.");
        throw new InvalidDataException(message.ToString());
    }

    private static string Name(string path) => Path.GetFileName(path);

    private static string Names(IEnumerable<(string Path, StudyCell Cell)> files)
    {
        var names = files.Select(file => Name(file.Path)).ToList();
        return names.Count <= 3 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(3))} and {names.Count - 3} more";
    }
}
