using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Engine.Imaging;

/// <summary>
/// Decodes an uploaded image (PNG, JPEG, BMP, GIF or WebP) and turns it into the 28 × 28 MNIST-style input
/// the models expect, via <see cref="DigitNormalizer.Normalize"/>.
/// </summary>
/// <remarks>
/// Thread-safe: one instance is meant to be shared by all requests. Its ImageSharp configuration is private
/// and never mutated after construction, so other code cannot re-enable formats or lift limits.
/// </remarks>
public sealed class DigitImagePreprocessor
{
    /// <summary>
    /// Images whose longer side exceeds this are first shrunk (area-averaged, aspect kept) so the pure
    /// normaliser never works on more than 256 × 256 values; 256 is still &gt; 12× the 20-px digit box, so
    /// no detail the model could use is lost, and thin strokes become grey rather than disappearing.
    /// </summary>
    internal const int MaxWorkingSide = 256;

    private const string AcceptedFormatsText = "PNG, JPEG, BMP, GIF, WebP";

    private static readonly string[] MediaTypes = ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp"];

    private readonly Configuration configuration;
    private readonly long maxPixels;

    /// <summary>Creates a preprocessor enforcing <paramref name="limits"/>.</summary>
    /// <param name="limits">Size and memory limits; copied, so later changes to the object have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public DigitImagePreprocessor(ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxPixels, "limits.MaxPixels");
        if (limits.AllocationLimitMegabytes is { } explicitLimit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(explicitLimit, "limits.AllocationLimitMegabytes");
        }

        maxPixels = limits.MaxPixels;

        // Only the formats we accept are registered, so detection itself refuses the rest. TIFF in particular
        // stays out: ImageSharp 2.x has an unfixed TIFF decoder bug.
        configuration = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new BmpConfigurationModule(),
            new GifConfigurationModule(),
            new WebpConfigurationModule())
        {
            // A backstop behind the header check: a decoder tricked into a huge buffer fails instead of
            // exhausting memory.
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = limits.EffectiveAllocationLimitMegabytes,
            }),
        };

        // Animated GIFs: only the first frame is used, so the others are never decoded or allocated.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
    }

    /// <summary>The media types this preprocessor accepts, for content negotiation in the HTTP layer.</summary>
    public static IReadOnlyList<string> AcceptedMediaTypes { get; } = Array.AsReadOnly(MediaTypes);

    /// <summary>
    /// Decodes <paramref name="encoded"/> and returns the normalised 28 × 28 digit (784 values in [0, 1],
    /// white ink on black, row-major).
    /// </summary>
    /// <param name="encoded">The uploaded file's bytes.</param>
    /// <returns>A new array of <see cref="DigitNormalizer.PixelCount"/> values.</returns>
    /// <remarks>
    /// <para>Transparency is composited onto white, so a transparent canvas with dark strokes reads as dark
    /// ink on white paper. Luminance uses the Rec. 601 weights (0.299 R + 0.587 G + 0.114 B) on the stored,
    /// gamma-encoded values, the same luma JPEG's YCbCr uses, so a JPEG's grey level is kept as encoded.</para>
    /// <para>EXIF orientation is applied, so phone photos are upright. Images larger than 256 px on their
    /// longer side are first reduced by area averaging. Truncated files may decode with the missing part
    /// filled in by the decoder; that is accepted. Only <see cref="ImageRejectedException"/> and
    /// <see cref="DigitNotFoundException"/> are thrown for bad input.</para>
    /// </remarks>
    /// <exception cref="ImageRejectedException">The upload is empty, not an accepted format, corrupt, or too large.</exception>
    /// <exception cref="DigitNotFoundException">The image decodes but shows no digit (e.g. a blank page).</exception>
    public unsafe float[] Preprocess(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new ImageRejectedException(ImageRejectionReason.Empty, "The uploaded image is empty (0 bytes).");
        }

        IImageFormat? format = Image.DetectFormat(configuration, encoded);
        if (format is null)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.UnsupportedFormat,
                $"The upload is not a supported image format. Accepted formats: {AcceptedFormatsText}.");
        }

        // ImageSharp 2.1 identifies only from streams or arrays; pinning avoids copying the upload.
        fixed (byte* pointer = encoded)
        {
            using var stream = new UnmanagedMemoryStream(pointer, encoded.Length);
            EnforcePixelLimit(stream, format);
            stream.Position = 0;

            using Image<Rgba32> image = Decode(stream, format);
            return Normalize(image);
        }
    }

    private void EnforcePixelLimit(Stream stream, IImageFormat format)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(configuration, stream);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {format.Name} image header could not be read; the file is corrupt or truncated.",
                exception);
        }

        if (info is null || info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {format.Name} image header could not be read; the file is corrupt or truncated.");
        }

        long pixels = (long)info.Width * info.Height;
        if (pixels > maxPixels)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooManyPixels,
                $"The image declares {info.Width}×{info.Height} = {pixels:N0} pixels; the limit is {maxPixels:N0} pixels.");
        }
    }

    private Image<Rgba32> Decode(Stream stream, IImageFormat format)
    {
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(configuration, stream);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {format.Name} image could not be decoded; the file is corrupt or truncated.",
                exception);
        }

        try
        {
            image.Mutate(context =>
            {
                context.AutoOrient();
                Size size = context.GetCurrentSize();
                if (Math.Max(size.Width, size.Height) > MaxWorkingSide)
                {
                    // Box kernel widened by the reduction ratio is an area average; premultiplied alpha keeps
                    // transparent pixels' colour from bleeding into the strokes.
                    context.Resize(new ResizeOptions
                    {
                        Size = new Size(MaxWorkingSide, MaxWorkingSide),
                        Mode = ResizeMode.Max,
                        Sampler = KnownResamplers.Box,
                        PremultiplyAlpha = true,
                    });
                }
            });
        }
        catch
        {
            image.Dispose();
            throw;
        }

        return image;
    }

    private static float[] Normalize(Image<Rgba32> image)
    {
        int length = image.Width * image.Height;
        float[] luminance = ArrayPool<float>.Shared.Rent(length);
        try
        {
            ToLuminanceOnWhite(image, luminance);

            var result = new float[DigitNormalizer.PixelCount];
            DigitNormalizer.Normalize(luminance.AsSpan(0, length), image.Width, image.Height, result);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(luminance);
        }
    }

    // Takes an array, not a Span: ProcessPixelRows runs a delegate, which cannot capture a Span.
    private static void ToLuminanceOnWhite(Image<Rgba32> image, float[] luminance)
    {
        int width = image.Width;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgba32> row = accessor.GetRowSpan(y);
                Span<float> target = luminance.AsSpan(y * width, width);
                for (int x = 0; x < row.Length; x++)
                {
                    Rgba32 pixel = row[x];
                    // Integer weights summing to 1000 keep a gray pixel's level exact, so an upload of an
                    // MNIST digit reaches the normaliser as the very values training gave it.
                    float luma = ((299 * pixel.R + 587 * pixel.G + 114 * pixel.B + 500) / 1000) / 255f;
                    float alpha = pixel.A / 255f;
                    // Compositing over white: fully transparent pixels are paper, whatever their RGB.
                    target[x] = alpha * luma + (1f - alpha);
                }
            }
        });
    }

    /// <summary>
    /// Exceptions decoders throw on malformed data. ImageSharp's own types cover most cases, but truncated or
    /// hostile input also surfaces as end-of-stream, index and arithmetic errors from deep inside decoders.
    /// Process-level failures (out of memory, stack) are not input problems and are left to propagate.
    /// </summary>
    private static bool IsDecoderFailure(Exception exception) =>
        exception is not (OutOfMemoryException or InsufficientExecutionStackException or ImageRejectedException);
}
