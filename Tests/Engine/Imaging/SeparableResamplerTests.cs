using Engine.Imaging;

namespace Tests.Engine.Imaging;

public class SeparableResamplerTests
{
    [Fact]
    public void SameSize_IsIdentity()
    {
        float[] source = Enumerable.Range(0, 35).Select(i => (i * 37 % 11) / 10f).ToArray();
        var destination = new float[35];

        SeparableResampler.Resample(source, 7, 0, 0, 7, 5, destination, 7, 5);

        Assert.Equal(source, destination);
    }

    [Fact]
    public void HalvingEachAxis_AveragesEachTwoByTwoBlock()
    {
        float[] source =
        [
            1, 0, 0, 0,
            1, 0, 1, 1,
        ];
        var destination = new float[2];

        SeparableResampler.Resample(source, 4, 0, 0, 4, 2, destination, 2, 1);

        Assert.Equal(0.5f, destination[0], 1e-6f);
        Assert.Equal(0.5f, destination[1], 1e-6f);
    }

    [Fact]
    public void NonIntegerShrink_PreservesTotalInkPerArea()
    {
        // 7 → 3 exercises footprints that straddle source pixels; area averaging keeps the mean.
        float[] source = [0.1f, 0.9f, 0.4f, 0.0f, 1.0f, 0.3f, 0.7f];
        var destination = new float[3];

        SeparableResampler.Resample(source, 7, 0, 0, 7, 1, destination, 3, 1);

        Assert.Equal(source.Average(), destination.Average(), 1e-5);
        // First output covers source [0, 7/3): 0.1 + 0.9 + 0.4/3, divided by 7/3.
        Assert.Equal((0.1 + 0.9 + 0.4 / 3) / (7.0 / 3), destination[0], 1e-5);
    }

    [Fact]
    public void Enlarging_IsBilinearAndClampsAtEdges()
    {
        float[] source = [0f, 1f];
        var destination = new float[4];

        SeparableResampler.Resample(source, 2, 0, 0, 2, 1, destination, 4, 1);

        // Output centres map to source positions -0.25, 0.25, 0.75, 1.25.
        Assert.Equal([0f, 0.25f, 0.75f, 1f], destination);
    }

    [Fact]
    public void Region_ReadsOnlyInsideTheRegion()
    {
        float[] source =
        [
            9, 9, 9,
            9, 2, 4,
        ];
        var destination = new float[1];

        SeparableResampler.Resample(source, 3, 1, 1, 2, 1, destination, 1, 1);

        Assert.Equal(3f, destination[0], 1e-6f);
    }
}
