using Engine.Imaging;

namespace Tests.Engine.Imaging;

public class DigitNormalizerTests
{
    private const int Side = DigitNormalizer.Side;

    [Fact]
    public void MnistLikeDigit_IsReproduced()
    {
        float[] mnist = TestDigits.MnistLikeSeven();
        (double inX, double inY) = TestDigits.CentreOfMass(mnist, Side);
        Assert.InRange(inX, 13.5, 14.5); // the fixture itself is MNIST-like
        Assert.InRange(inY, 13.5, 14.5);

        float[] result = TestDigits.Normalize(mnist, Side, Side);

        Assert.True(TestDigits.Correlation(mnist, result) > 0.97, "shape changed");
        Assert.True(TestDigits.MeanAbsoluteDifference(mnist, result) < 0.03, "values changed");
        (double x, double y) = TestDigits.CentreOfMass(result, Side);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
    }

    [Fact]
    public void NormalizingTwice_ChangesAlmostNothing()
    {
        float[] once = TestDigits.Normalize(TestDigits.Seven(90, 70, 30, 5, 35, 60, 7), 90, 70);
        float[] twice = TestDigits.Normalize(once, Side, Side);

        Assert.True(TestDigits.Correlation(once, twice) > 0.98);
        Assert.True(TestDigits.MeanAbsoluteDifference(once, twice) < 0.03);
    }

    [Fact]
    public void NormalizeMnist_MatchesNormalizeOfBytesOver255()
    {
        byte[] bytes = TestDigits.MnistLikeSeven().Select(v => (byte)Math.Round(v * 255)).ToArray();
        var fromBytes = new float[DigitNormalizer.PixelCount];

        DigitNormalizer.NormalizeMnist(bytes, fromBytes);

        float[] expected = TestDigits.Normalize(bytes.Select(b => b / 255f).ToArray(), Side, Side);
        Assert.Equal(expected, fromBytes);
        Assert.True(TestDigits.Correlation(bytes.Select(b => b / 255f).ToArray(), fromBytes) > 0.97);
    }

    [Fact]
    public void BlackOnWhite_GivesSameResultAsWhiteOnBlack()
    {
        float[] ink = TestDigits.Seven(60, 50, 12, 6, 24, 38, 5);

        float[] whiteOnBlack = TestDigits.Normalize(ink, 60, 50);
        float[] blackOnWhite = TestDigits.Normalize(TestDigits.Invert(ink), 60, 50);

        for (int i = 0; i < whiteOnBlack.Length; i++)
        {
            Assert.Equal(whiteOnBlack[i], blackOnWhite[i], 1e-5f);
        }
    }

    [Fact]
    public void OffCentreDigitOnWideCanvas_IsCentredAndScaledToTheBox()
    {
        // Digit 40×80 in the top-left part of a 300×100 page, dark ink on light grey paper.
        float[] ink = TestDigits.Seven(300, 100, 20, 8, 40, 80, 9);
        float[] page = ink.Select(v => 0.9f - 0.8f * v).ToArray();

        float[] result = TestDigits.Normalize(page, 300, 100);

        (double x, double y) = TestDigits.CentreOfMass(result, Side);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
        (int width, int height) = TestDigits.BoundingBox(result, Side);
        Assert.InRange(height, 19, 21);
        Assert.InRange(width, 9, 11); // aspect 1:2 kept
        Assert.Equal(1f, result.Max(), 0.05f); // a thick stroke keeps full ink after shrinking
    }

    [Fact]
    public void TinyDigit_IsEnlargedToTheBox()
    {
        float[] ink = TestDigits.Seven(12, 14, 3, 3, 6, 8, 1.5);

        float[] result = TestDigits.Normalize(TestDigits.Invert(ink), 12, 14);

        (int width, int height) = TestDigits.BoundingBox(result, Side);
        Assert.InRange(height, 19, 21);
        Assert.InRange(width, 14, 16); // 6:8 → 15:20
        (double x, double y) = TestDigits.CentreOfMass(result, Side);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
    }

    [Fact]
    public void FaintSpeckFarAway_DoesNotStretchTheBox()
    {
        float[] ink = TestDigits.Seven(100, 100, 10, 10, 30, 40, 5);
        float[] clean = TestDigits.Normalize(ink, 100, 100);

        // A speck at 10 % of the stroke contrast (JPEG ringing, dust) in the far corner.
        float[] speckled = (float[])ink.Clone();
        speckled[95 * 100 + 95] = 0.1f;
        float[] result = TestDigits.Normalize(speckled, 100, 100);

        Assert.Equal(clean, result);
    }

    [Fact]
    public void StrokeTouchingTheBorder_DoesNotChangeTheBackgroundEstimate()
    {
        float[] page = Enumerable.Repeat(0.95f, 20 * 10).ToArray();
        for (int y = 0; y < 10; y++)
        {
            page[y * 20] = 0.05f; // a dark stroke running down the left border
        }

        Assert.Equal(0.95f, DigitNormalizer.EstimateBackground(page, 20, 10));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0f)]
    [InlineData(0.5f)]
    public void UniformImage_ThrowsDigitNotFound(float level)
    {
        float[] page = Enumerable.Repeat(level, 40 * 30).ToArray();

        var exception = Assert.Throws<DigitNotFoundException>(() => TestDigits.Normalize(page, 40, 30));
        Assert.Contains("no visible digit", exception.Message);
    }

    [Fact]
    public void LowContrastNoise_ThrowsDigitNotFound()
    {
        // ±0.03 noise around white: what a blank JPEG or a photo of an empty sheet looks like.
        var random = new Random(1234);
        float[] page = Enumerable.Range(0, 64 * 64).Select(_ => 0.97f + 0.03f * (float)random.NextDouble()).ToArray();

        Assert.Throws<DigitNotFoundException>(() => TestDigits.Normalize(page, 64, 64));
    }

    [Fact]
    public void OutputIsInUnitRangeAndDeterministic()
    {
        var random = new Random(42);
        float[] page = Enumerable.Range(0, 50 * 40).Select(_ => (float)random.NextDouble()).ToArray();

        float[] first = TestDigits.Normalize(page, 50, 40);
        float[] second = TestDigits.Normalize(page, 50, 40);

        Assert.Equal(first, second);
        Assert.All(first, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void SinglePixelImages_AreHandled()
    {
        float[] result = TestDigits.Normalize([0f, 0f, 1f, 0f, 0f], 5, 1);

        // One pixel of ink becomes a 20×20 block centred on (14, 14).
        Assert.Equal((20, 20), TestDigits.BoundingBox(result, Side));
        Assert.Equal(400f, result.Sum(), 1e-3f);
    }

    [Fact]
    public void WrongSizes_Throw()
    {
        var destination = new float[DigitNormalizer.PixelCount];

        Assert.Throws<ArgumentException>(() => DigitNormalizer.Normalize(new float[10], 3, 3, destination));
        Assert.Throws<ArgumentException>(() => DigitNormalizer.Normalize(new float[9], 3, 3, new float[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitNormalizer.Normalize(new float[0], 0, 3, destination));
        Assert.Throws<ArgumentException>(() => DigitNormalizer.NormalizeMnist(new byte[783], destination));
    }
}
