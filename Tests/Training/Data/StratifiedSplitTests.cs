using Training.Data;

namespace Tests.Training.Data;

public class StratifiedSplitTests
{
    // Unequal classes (50, 63, …, 167 members) in an interleaved order: 1,085 labels.
    private static readonly byte[] Labels = MakeLabels();

    [Theory]
    [InlineData(200, 100)]
    [InlineData(0, 108)]
    [InlineData(217, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void Parts_HaveExactSizes_AreDisjointSortedAndCoverEveryIndex(int testCount, int validationCount)
    {
        StratifiedSplit split = StratifiedSplit.Create(Labels, testCount, validationCount, seed: 1);

        Assert.Equal(testCount, split.Test.Length);
        Assert.Equal(validationCount, split.Validation.Length);
        Assert.Equal(Labels.Length - testCount - validationCount, split.Training.Length);
        int[] all = [.. split.Training, .. split.Validation, .. split.Test];
        Assert.Equal(Enumerable.Range(0, Labels.Length), all.Order());
        Assert.All(new[] { split.Training, split.Validation, split.Test }, part => Assert.Equal(part.Order(), part));
    }

    [Theory]
    [InlineData(200, 100)]
    [InlineData(333, 111)]
    [InlineData(7, 3)]
    public void EachClass_GetsItsProportionalShareWithinOne(int testCount, int validationCount)
    {
        StratifiedSplit split = StratifiedSplit.Create(Labels, testCount, validationCount, seed: 2);
        for (int c = 0; c < 10; c++)
        {
            int members = Labels.Count(l => l == c);
            AssertShare(split.Test, testCount, c, members);
            AssertShare(split.Validation, validationCount, c, members);
        }
    }

    [Fact]
    public void SameSeed_GivesTheSameSplit_AnotherSeedADifferentOne()
    {
        StratifiedSplit first = StratifiedSplit.Create(Labels, 200, 100, seed: 3);
        StratifiedSplit second = StratifiedSplit.Create(Labels, 200, 100, seed: 3);
        StratifiedSplit other = StratifiedSplit.Create(Labels, 200, 100, seed: 4);

        Assert.Equal(first.Test, second.Test);
        Assert.Equal(first.Validation, second.Validation);
        Assert.Equal(first.Training, second.Training);
        Assert.NotEqual(first.Test, other.Test);
        Assert.NotEqual(first.Validation, other.Validation);
        // A shuffle, not a shift: the two test sets share only about a fifth of their members.
        Assert.InRange(first.Test.Intersect(other.Test).Count(), 10, 100);
    }

    [Fact]
    public void Shares_FollowTheLargestRemainders()
    {
        // Classes of 3, 3 and 4 members: a test part of 5 is 1.5, 1.5 and 2 exactly; the tie of the two halves
        // goes to the lower class, so class 0 gets 2, class 1 gets 1 and class 2 gets 2.
        byte[] labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 2];
        StratifiedSplit split = StratifiedSplit.Create(labels, 5, 0, seed: 5);
        Assert.Equal([2, 1, 2], Enumerable.Range(0, 3).Select(c => split.Test.Count(i => labels[i] == c)));
    }

    [Theory]
    [InlineData(1000, 86)]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void ImpossibleCounts_Throw(int testCount, int validationCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Create(Labels, testCount, validationCount, seed: 1));
    }

    private static void AssertShare(int[] part, int partCount, int label, int members)
    {
        double proportional = (double)partCount * members / Labels.Length;
        int actual = part.Count(i => Labels[i] == label);
        Assert.True(Math.Abs(actual - proportional) < 1, $"class {label}: {actual} images in a part of {partCount}, proportional share {proportional:F2}");
    }

    private static byte[] MakeLabels()
    {
        var labels = new List<byte>();
        for (int c = 0; c < 10; c++)
        {
            labels.AddRange(Enumerable.Repeat((byte)c, 50 + 13 * c));
        }
        new Random(0).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(labels));
        return [.. labels];
    }
}
