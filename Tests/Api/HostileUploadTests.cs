using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Tests.Engine.Imaging;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>Uploads built to hang, exhaust or overload the decoder get a quick, precise answer over HTTP.</summary>
[Collection(UploadSafetyCollection.Name)]
public sealed class HostileUploadTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task InterlacedPngThatUsedToSpin_Answers400Quickly()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        var watch = Stopwatch.StartNew();
        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(HostileImages.InterlacedHang(), "image/png"))
            .WaitAsync(TimeSpan.FromSeconds(30));
        TimeSpan elapsed = watch.Elapsed;

        string detail = await ProblemAssert.IsProblemAsync(response, 400, "image-corrupt");
        Assert.Contains("inflates to 10 bytes", detail);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"answered after {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task CompressedTextBomb_IsClassified_WithoutInflatingTheText()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] bomb = HostileImages.CompressedTextBomb();
        using (HttpResponseMessage warmUp = await client.PostAsync("/v1/classify", Raw(HostileImages.DigitPng(), "image/png")))
        {
            Assert.Equal(200, (int)warmUp.StatusCode);
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(bomb, "image/png"));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(200, (int)response.StatusCode);
        // The text alone would be 200 MB (and twice that as a string); the upload itself is 190 KB.
        Assert.True(allocated < HostileImages.BombTextBytes / 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task AfterTheHangAndTheBomb_TheProcessIsIdle()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        using (HttpResponseMessage warmUp = await client.PostAsync("/v1/classify", Raw(HostileImages.CompressedTextBomb(), "image/png")))
        {
            Assert.Equal(200, (int)warmUp.StatusCode);
        }

        double baseline = await QuietestCpuAsync();
        Task<HttpResponseMessage>[] requests =
        [
            client.PostAsync("/v1/classify", Raw(HostileImages.InterlacedHang(), "image/png")),
            client.PostAsync("/v1/classify", Raw(HostileImages.InterlacedHang(), "image/png")),
            client.PostAsync("/v1/classify", Raw(HostileImages.CompressedTextBomb(), "image/png")),
        ];
        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([400, 400, 200], responses.Select(r => (int)r.StatusCode));
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }

        double after = await QuietestCpuAsync();

        // A decoder left spinning adds a whole core on top of what the process used before; the rest of the test
        // process (other hosts winding down) moves the figure by a few tenths, so half a core is the line.
        Assert.True(after < baseline + 0.5, $"the process used {after:F2} cores after the uploads, {baseline:F2} before");
    }

    /// <summary>
    /// The process's CPU use, in cores, over the quietest of three one-second windows: JIT, GC and model threads
    /// settle within a window, a spinning decoder keeps every window busy.
    /// </summary>
    private static async Task<double> QuietestCpuAsync()
    {
        await Task.Delay(300);
        using var process = Process.GetCurrentProcess();
        double quietest = double.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            process.Refresh();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await Task.Delay(1000);
            process.Refresh();
            quietest = Math.Min(quietest, (process.TotalProcessorTime - cpuBefore) / watch.Elapsed);
        }

        return quietest;
    }

    [Fact]
    public async Task AnimatedWebp_Is415_AndAsksForAStillImage()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(HostileImages.AnimatedWebp(), "image/webp"));

        string detail = await ProblemAssert.IsProblemAsync(response, 415, "image-format-unsupported");
        Assert.Contains("send a still image", detail);
    }

    [Fact]
    public async Task HugeBmp_Is413_LikePngAndJpeg()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(HostileImages.BmpDeclaring(100_000, 100_000), "image/bmp"));

        string detail = await ProblemAssert.IsProblemAsync(response, 413, "image-too-many-pixels");
        Assert.Contains("100000×100000", detail);
    }

    [Fact]
    public async Task GifWithAHugeFirstFrame_Is413()
    {
        HttpClient client = await app.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(HostileImages.GifWithFrame(60_000, 60_000), "image/gif"));

        await ProblemAssert.IsProblemAsync(response, 413, "image-too-many-pixels");
    }

    [Fact]
    public async Task VeryLongThinPng_Is413_SideTooLong()
    {
        HttpClient client = await app.CreateLoadedClientAsync();
        byte[] png = HostileImages.RawPng(1, 9000, 8, 0, new byte[9000 * 2]);

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(png, "image/png"));

        string detail = await ProblemAssert.IsProblemAsync(response, 413, "image-side-too-long");
        Assert.Contains("8,192", detail);
    }

    [Fact]
    public async Task DecodeOverBudget_Is422_WithAStableType()
    {
        using WebApplicationFactory<Program> hurried = app.WithWebHostBuilder(builder => builder
            .UseSetting("Classification:DecodeTimeout", "00:00:00.001")
            .UseSetting("Classification:MaxPixels", "16777216"));
        HttpClient client = await hurried.CreateLoadedClientAsync();

        using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(LargeJpeg(), "image/jpeg"));

        string detail = await ProblemAssert.IsProblemAsync(response, 422, "image-decode-timeout");
        Assert.Contains("0.001 s", detail);
    }

    [Theory]
    [InlineData("Classification:DecodeTimeout", "00:00:00")]
    [InlineData("Classification:DecodeTimeout", "01:00:00")]
    [InlineData("Classification:MaxSide", "0")]
    public async Task InvalidLimit_FailsAtStart_NamingTheSetting(string key, string value)
    {
        using WebApplicationFactory<Program> misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => misconfigured.CreateClient()));

        Assert.Contains(key, exception.Message);
    }

    /// <summary>A 2048 × 2048 noisy JPEG (about 1 MB): tens of milliseconds of decoding at least.</summary>
    private static byte[] LargeJpeg()
    {
        var random = new Random(3);
        using var image = new Image<L8>(2048, 2048);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<L8> row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new L8((byte)(200 + random.Next(40)));
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 80 });
        return stream.ToArray();
    }
}
