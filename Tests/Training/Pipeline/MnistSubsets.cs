using Tests.Training.Data;
using Training.Data;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

/// <summary>Small, prepared subsets of the standard MNIST split, made once per test run.</summary>
internal static class MnistSubsets
{
    private static readonly Lazy<PreparedDigits> TrainingSet = new(() => Spread(TestMnist.Load().Training, 2_000));
    private static readonly Lazy<PreparedDigits> ValidationSet = new(() => Spread(TestMnist.Load().Validation, 300));
    private static readonly Lazy<PreparedDigits> TestSet = new(() => Spread(TestMnist.Load().Test, 500));

    /// <summary>2,000 training digits.</summary>
    public static PreparedDigits Training => TrainingSet.Value;

    /// <summary>300 validation digits.</summary>
    public static PreparedDigits Validation => ValidationSet.Value;

    /// <summary>500 test digits.</summary>
    public static PreparedDigits Test => TestSet.Value;

    /// <summary>
    /// <paramref name="count"/> digits spread evenly over <paramref name="dataset"/>: every k-th digit rather than the
    /// first n, so that a subset of a dataset ordered by class (as some are) still holds every class.
    /// </summary>
    public static PreparedDigits Spread(DigitDataset dataset, int count) =>
        PreparedDigits.From(dataset.Subset([.. Enumerable.Range(0, count).Select(i => (int)((long)i * dataset.Count / count))]));
}
