namespace Training.Data;

/// <summary>
/// A fixed, seeded division of a labelled dataset into training, validation and test parts in which
/// every class keeps its share of each part.
/// </summary>
/// <param name="Training">Indices used to fit the weights.</param>
/// <param name="Validation">Indices used to choose the epoch.</param>
/// <param name="Test">Indices never used for training or model selection.</param>
public sealed record StratifiedSplit(int[] Training, int[] Validation, int[] Test)
{
    /// <summary>
    /// Shuffles each class with <paramref name="seed"/>, then gives each part its share of every class
    /// (largest remainders decide the rounding), so the same labels and seed always give the same split.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The parts ask for more images than there are.</exception>
    public static StratifiedSplit Create(IReadOnlyList<byte> labels, int testCount, int validationCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        ArgumentOutOfRangeException.ThrowIfNegative(validationCount);
        if (testCount + validationCount > labels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(testCount), $"{testCount} test and {validationCount} validation images exceed the {labels.Count} available.");
        }

        var random = new Random(seed);
        int[][] classes = Enumerable.Range(0, 10)
            .Select(c => Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray())
            .ToArray();
        foreach (int[] members in classes)
        {
            random.Shuffle(members);
        }

        int[] testQuota = Quotas(classes, testCount, labels.Count);
        int[] validationQuota = Quotas(classes, validationCount, labels.Count);
        var test = new List<int>();
        var validation = new List<int>();
        var training = new List<int>();
        for (int c = 0; c < classes.Length; c++)
        {
            test.AddRange(classes[c].Take(testQuota[c]));
            validation.AddRange(classes[c].Skip(testQuota[c]).Take(validationQuota[c]));
            training.AddRange(classes[c].Skip(testQuota[c] + validationQuota[c]));
        }
        return new StratifiedSplit(Sorted(training), Sorted(validation), Sorted(test));
    }

    // Each class's share of `count`, rounded down, then the largest remainders get one more.
    private static int[] Quotas(int[][] classes, int count, int total)
    {
        double[] exact = classes.Select(members => (double)count * members.Length / total).ToArray();
        int[] quotas = exact.Select(e => (int)Math.Floor(e)).ToArray();
        int missing = count - quotas.Sum();
        foreach (int c in Enumerable.Range(0, classes.Length).OrderByDescending(c => exact[c] - quotas[c]).ThenBy(c => c).Take(missing))
        {
            quotas[c]++;
        }
        return quotas;
    }

    private static int[] Sorted(List<int> indices)
    {
        indices.Sort();
        return indices.ToArray();
    }
}
