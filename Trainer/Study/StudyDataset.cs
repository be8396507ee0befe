using Training.Data;
using Training.Pipeline;

namespace Trainer.Study;

/// <summary>A dataset the study trains on, and how its images are prepared for the network.</summary>
/// <param name="Id">The id in cell files and keys: <c>mnist</c> or <c>fashion</c>.</param>
/// <param name="Name">The name in the report.</param>
/// <param name="Preprocessing">
/// <c>digit-normalised</c>: every image goes through the normalisation the service applies to uploads;
/// <c>scaled</c>: pixels scaled to [0, 1] and nothing else, for pictures that are not handwritten digits.
/// </param>
/// <param name="TargetAccuracy">The validation accuracy whose first epoch the report gives as "epochs to target".</param>
public sealed record StudyDataset(string Id, string Name, string Preprocessing, double TargetAccuracy)
{
    /// <summary>Training images of the full dataset, before the validation images are split off.</summary>
    public const int FullTrainingImages = 60_000;

    /// <summary>Test images of the full dataset: its official test set.</summary>
    public const int FullTestImages = 10_000;

    /// <summary>MNIST with its own 10,000 test digits; the 60,000 training digits split 54,000 / 6,000 for validation.</summary>
    public static StudyDataset Mnist { get; } = new("mnist", "MNIST", "digit-normalised", 0.98);

    /// <summary>Fashion-MNIST, split as MNIST is, its pictures only scaled.</summary>
    public static StudyDataset Fashion { get; } = new("fashion", "Fashion-MNIST", "scaled", 0.88);

    /// <summary>Both datasets, in report order.</summary>
    public static IReadOnlyList<StudyDataset> All { get; } = [Mnist, Fashion];

    /// <summary>The dataset with id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">No dataset has that id.</exception>
    public static StudyDataset Get(string id) =>
        All.FirstOrDefault(dataset => dataset.Id == id)
        ?? throw new ArgumentException($"Unknown study dataset '{id}'. Valid ids: {string.Join(", ", All.Select(d => d.Id))}.", nameof(id));

    /// <summary>Prepares <paramref name="images"/> as this dataset's cells are trained and tested on.</summary>
    public PreparedDigits Prepare(DigitDataset images) =>
        Preprocessing == "scaled" ? PreparedDigits.Scaled(images) : PreparedDigits.From(images);
}
