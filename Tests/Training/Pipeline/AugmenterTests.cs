using Tests.Training.Data;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

public class AugmenterTests
{
    private const int Side = 28;
    private static readonly Lazy<PreparedDigits> Digits = new(() => MnistSubsets.Spread(TestMnist.Load().Training, 40));

    [Fact]
    public void WithEveryOptionZero_ItIsInactive_AndAnyOneOptionMakesItActive()
    {
        var none = new TrainingOptions { MaxShift = 0, MaxRotationDegrees = 0, MaxScale = 0 };
        Assert.False(new Augmenter(none, Side).IsActive);
        Assert.True(new Augmenter(none with { MaxShift = 1 }, Side).IsActive);
        Assert.True(new Augmenter(none with { MaxRotationDegrees = 5 }, Side).IsActive);
        Assert.True(new Augmenter(none with { MaxScale = 0.1f }, Side).IsActive);
    }

    [Fact]
    public void IntegerShift_MovesEveryPixelExactly_BringingInBackground_OverEveryOffsetInRange()
    {
        const int maxShift = 3;
        var augmenter = new Augmenter(new TrainingOptions { MaxShift = maxShift, MaxRotationDegrees = 0, MaxScale = 0 }, Side);
        // Distinct, non-zero pixels: only the true offset reproduces the output.
        float[] image = [.. Enumerable.Range(1, Side * Side).Select(i => i / (float)(Side * Side))];
        var random = new Random(1);
        var seen = new HashSet<(int, int)>();
        var output = new float[Side * Side];

        for (int draw = 0; draw < 1000; draw++)
        {
            Array.Fill(output, float.NaN);
            augmenter.Apply(image, output, random);
            var matches = new List<(int, int)>();
            for (int dy = -maxShift; dy <= maxShift; dy++)
            {
                for (int dx = -maxShift; dx <= maxShift; dx++)
                {
                    if (Shifted(image, dx, dy).AsSpan().SequenceEqual(output))
                    {
                        matches.Add((dx, dy));
                    }
                }
            }
            seen.Add(Assert.Single(matches));
        }
        Assert.Equal((2 * maxShift + 1) * (2 * maxShift + 1), seen.Count);
    }

    [Fact]
    public void RotationAndScaling_KeepPixelsInTheUnitInterval_AndRoughlyTheInk()
    {
        var augmenter = new Augmenter(new TrainingOptions { MaxShift = 2, MaxRotationDegrees = 15, MaxScale = 0.1f }, Side);
        PreparedDigits digits = Digits.Value;
        var random = new Random(2);
        var output = new float[Side * Side];
        int changed = 0;

        for (int n = 0; n < digits.Count; n++)
        {
            ReadOnlySpan<float> image = digits.Image(n);
            double ink = Sum(image);
            for (int draw = 0; draw < 5; draw++)
            {
                Array.Fill(output, float.NaN);
                augmenter.Apply(image, output, random);

                Assert.All(output, p => Assert.InRange(p, 0f, 1f));
                // Scaling by s ∈ [0.9, 1.1] scales the ink by s²; bilinear resampling blurs but keeps it otherwise.
                Assert.InRange(Sum(output) / ink, 0.75, 1.3);
                changed += image.SequenceEqual(output) ? 0 : 1;
            }
        }
        Assert.Equal(digits.Count * 5, changed);
    }

    [Fact]
    public void SameRandomState_GivesTheSameDistortion()
    {
        var augmenter = new Augmenter(new TrainingOptions { MaxShift = 2, MaxRotationDegrees = 10, MaxScale = 0.1f }, Side);
        ReadOnlySpan<float> image = Digits.Value.Image(0);
        var first = new float[Side * Side];
        var second = new float[Side * Side];

        augmenter.Apply(image, first, new Random(3));
        augmenter.Apply(image, second, new Random(3));

        Assert.Equal(first, second);
    }

    // out[y, x] = in[y − dy, x − dx], zero where that falls outside the image.
    private static float[] Shifted(float[] image, int dx, int dy)
    {
        var shifted = new float[Side * Side];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int sy = y - dy;
                int sx = x - dx;
                shifted[y * Side + x] = sy is >= 0 and < Side && sx is >= 0 and < Side ? image[sy * Side + sx] : 0f;
            }
        }
        return shifted;
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }
        return sum;
    }
}
