using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Training.Pipeline;

namespace Trainer.Study;

/// <summary>
/// Everything that shapes a study cell's result: what was trained, on which data (down to its checksum), how, and
/// under which version of the study's code. Its <see cref="Key"/>, the SHA-256 of <see cref="CanonicalJson"/>, names
/// the cell: two cells with the same key are the same run, and a cell whose key is not the plan's is stale.
/// </summary>
/// <param name="CodeVersion">The study code version the cell was made with (<see cref="CurrentCodeVersion"/> at the time).</param>
/// <param name="Experiment">The experiment's name, unique within a plan, e.g. <c>standard</c>, <c>lr-x5</c> or <c>epochs-15</c>.</param>
/// <param name="Kind">What the experiment is for.</param>
/// <param name="Dataset">The dataset id, e.g. <c>mnist</c>.</param>
/// <param name="DataChecksum">The <see cref="Study.DataChecksum"/> of the dataset's IDX files.</param>
/// <param name="Preprocessing">How the images were prepared (<see cref="StudyDataset.Preprocessing"/>).</param>
/// <param name="SplitSeed">The seed of the training / validation split.</param>
/// <param name="ImageLimit">Only this many images of each part were used (the smoke plan); null for all.</param>
/// <param name="Architecture">The network's name.</param>
/// <param name="ArchitectureDescription">Its layers, in words.</param>
/// <param name="Dropout">The network's dropout rate, 0 without dropout.</param>
/// <param name="Activation">The activation id.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Epochs">Epochs planned (fewer run only if <paramref name="Patience"/> stops the run early).</param>
/// <param name="BatchSize">Images per optimiser step.</param>
/// <param name="LearningRate">The initial learning rate.</param>
/// <param name="WeightDecay">Decoupled weight decay.</param>
/// <param name="MaxShift">Augmentation: the largest shift, in pixels.</param>
/// <param name="MaxRotationDegrees">Augmentation: the largest rotation, in degrees.</param>
/// <param name="MaxScale">Augmentation: the largest relative change of scale.</param>
/// <param name="Patience">Early stopping after this many epochs without a better validation accuracy; 0 never stops early.</param>
public sealed record StudyRecipe(
    int CodeVersion,
    string Experiment,
    ExperimentKind Kind,
    string Dataset,
    string DataChecksum,
    string Preprocessing,
    int SplitSeed,
    int? ImageLimit,
    string Architecture,
    string ArchitectureDescription,
    float Dropout,
    string Activation,
    int Seed,
    int Epochs,
    int BatchSize,
    float LearningRate,
    float WeightDecay,
    int MaxShift,
    float MaxRotationDegrees,
    float MaxScale,
    int Patience)
{
    /// <summary>
    /// The version of the code that trains and measures a study cell. Raise it by hand whenever a change could
    /// alter any figure of a cell (training, the network's arithmetic, the census, the data preparation): every
    /// cell made before then becomes stale, and the report refuses to mix them with new ones. The git commit is
    /// recorded in each cell as well, but not keyed, so that a change elsewhere does not force a rerun.
    /// </summary>
    public const int CurrentCodeVersion = 1;

    private static readonly JsonSerializerOptions canonical = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The SHA-256 (lower-case hex) of <see cref="CanonicalJson"/>: the cell's identity in file names and checks.
    /// </summary>
    [JsonIgnore]
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson())));

    /// <summary>Where the cell sits in a plan: experiment, dataset, architecture, activation and seed. A plan has one cell per slot.</summary>
    [JsonIgnore]
    public string Slot => string.Create(CultureInfo.InvariantCulture, $"{Experiment}/{Dataset}/{Architecture}/{Activation}/seed{Seed}");

    /// <summary>How the cell's network is trained.</summary>
    [JsonIgnore]
    public TrainingOptions Options => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        MaxShift = MaxShift,
        MaxRotationDegrees = MaxRotationDegrees,
        MaxScale = MaxScale,
        Patience = Patience,
        Seed = Seed,
    };

    /// <summary>
    /// The recipe as JSON with its properties in ordinal order of their camel-case names, no white space, and
    /// numbers in their shortest round-trip form: the same recipe always gives the same text.
    /// </summary>
    public string CanonicalJson() => Sorted(JsonSerializer.SerializeToNode(this, canonical)!).ToJsonString(canonical);

    /// <summary>The properties whose values differ, as <c>name: this → other</c>, in canonical order.</summary>
    public IReadOnlyList<string> Differences(StudyRecipe other)
    {
        JsonObject mine = JsonSerializer.SerializeToNode(this, canonical)!.AsObject();
        JsonObject theirs = JsonSerializer.SerializeToNode(other, canonical)!.AsObject();
        return mine.Select(property => property.Key)
            .Order(StringComparer.Ordinal)
            .Where(name => !JsonNode.DeepEquals(mine[name], theirs[name]))
            .Select(name => $"{name}: {Text(mine[name])} → {Text(theirs[name])}")
            .ToList();
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static JsonNode Sorted(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(property => property.Key, StringComparer.Ordinal)
            .Select(property => KeyValuePair.Create(property.Key, property.Value is null ? null : Sorted(property.Value)))),
        JsonArray array => new JsonArray(array.Select(item => item is null ? null : Sorted(item)).ToArray()),
        _ => node.DeepClone(),
    };
}
