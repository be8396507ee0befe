namespace Training.Pipeline;

/// <summary>How a network did on a labelled set.</summary>
/// <param name="Predictions">The predicted class of each image, in order.</param>
/// <param name="Labels">The true class of each image.</param>
public sealed record Evaluation(int[] Predictions, byte[] Labels)
{
    /// <summary>The fraction of images classified correctly.</summary>
    public double Accuracy => Correct(Enumerable.Range(0, Labels.Length)) / (double)Labels.Length;

    /// <summary>The accuracy of each class 0–9 (0 for a class with no images).</summary>
    public IReadOnlyList<double> PerClassAccuracy => Enumerable.Range(0, 10)
        .Select(c => Enumerable.Range(0, Labels.Length).Where(i => Labels[i] == c).ToArray())
        .Select(members => members.Length == 0 ? 0 : Correct(members) / (double)members.Length)
        .ToArray();

    private int Correct(IEnumerable<int> indices) => indices.Count(i => Predictions[i] == Labels[i]);
}
