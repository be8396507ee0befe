using System.Buffers;
using System.Diagnostics;
using Engine.Inference;
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
    private readonly PixelBudget pixelBudget;
    private readonly TimeSpan decodeTimeout;

    /// <summary>Creates a preprocessor enforcing <paramref name="limits"/>.</summary>
    /// <param name="limits">Size and memory limits; copied, so later changes to the object have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative, or the timeout is out of range.</exception>
    public DigitImagePreprocessor(ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxPixels, "limits.MaxPixels");
        if (limits.AllocationLimitMegabytes is { } explicitLimit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(explicitLimit, "limits.AllocationLimitMegabytes");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxSide, "limits.MaxSide");
        if (limits.DecodeTimeout <= TimeSpan.Zero || limits.DecodeTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                "limits.DecodeTimeout", limits.DecodeTimeout, "The decode timeout must be positive and at most about 24 days.");
        }

        pixelBudget = new PixelBudget(limits.MaxPixels, limits.MaxSide);
        decodeTimeout = limits.DecodeTimeout;

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
    /// <param name="cancellationToken">Stops the work when the caller gives up (e.g. the client disconnected).</param>
    /// <returns>A new array of <see cref="DigitNormalizer.PixelCount"/> values.</returns>
    /// <remarks>
    /// <para>Transparency is composited onto white, so a transparent canvas with dark strokes reads as dark
    /// ink on white paper. Luminance uses the Rec. 601 weights (0.299 R + 0.587 G + 0.114 B) on the stored,
    /// gamma-encoded values, the same luma JPEG's YCbCr uses, so a JPEG's grey level is kept as encoded.</para>
    /// <para>EXIF orientation is applied, so phone photos are upright. Images larger than 256 px on their
    /// longer side are first reduced by area averaging. PNG files are checked chunk by chunk before decoding
    /// (see <see cref="Preprocess(ReadOnlySpan{byte}, Span{float}, CancellationToken)"/>); truncated files of
    /// other formats may decode with the missing part filled in by the decoder, which is accepted.
    /// Only <see cref="ImageRejectedException"/> and <see cref="DigitNotFoundException"/> are thrown for bad
    /// input.</para>
    /// </remarks>
    /// <exception cref="ImageRejectedException">The upload is empty, not an accepted format, corrupt, too
    /// large, or took longer than <see cref="ImageLimits.DecodeTimeout"/> to decode.</exception>
    /// <exception cref="DigitNotFoundException">The image decodes but shows no digit (e.g. a blank page).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public float[] Preprocess(ReadOnlySpan<byte> encoded, CancellationToken cancellationToken = default)
    {
        var result = new float[DigitNormalizer.PixelCount];
        Preprocess(encoded, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/> and writes the normalised 28 × 28 digit into
    /// <paramref name="destination"/>; the same work as <see cref="Preprocess(ReadOnlySpan{byte}, CancellationToken)"/>
    /// without allocating the result.
    /// </summary>
    /// <param name="encoded">The uploaded file's bytes.</param>
    /// <param name="destination">Receives <see cref="DigitNormalizer.PixelCount"/> (784) values, row-major.</param>
    /// <param name="cancellationToken">Stops the work when the caller gives up (e.g. the client disconnected).</param>
    /// <remarks>
    /// <para>Every upload is checked before a decoder sees it. A PNG's chunks are walked (lengths, CRCs, a valid
    /// <c>IHDR</c>), its pixel data is inflated with a hard cap and must yield exactly what the header needs,
    /// and metadata chunks (text, ICC profiles) are dropped without being inflated. A GIF's blocks are walked
    /// to its first frame, a BMP's and an extended WebP's declared sizes are read, and animated WebP is
    /// refused. Declared sizes must stay within <see cref="ImageLimits.MaxPixels"/> and
    /// <see cref="ImageLimits.MaxSide"/>.</para>
    /// <para>The whole call runs under <see cref="ImageLimits.DecodeTimeout"/>: the budget is checked between
    /// stages and on every read the decoder makes (about every 8 KB of the file), and the JPEG decoder also
    /// checks it once per row of blocks.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 784 values.</exception>
    /// <exception cref="ImageRejectedException">The upload is empty, not an accepted format, corrupt, too
    /// large, or took longer than <see cref="ImageLimits.DecodeTimeout"/> to decode.</exception>
    /// <exception cref="DigitNotFoundException">The image decodes but shows no digit (e.g. a blank page).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination, CancellationToken cancellationToken)
    {
        if (destination.Length < DigitNormalizer.PixelCount)
        {
            throw new ArgumentException(
                $"The destination must hold at least {DigitNormalizer.PixelCount} values.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();
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

        using var budget = new DecodeBudget(decodeTimeout, cancellationToken);
        try
        {
            DecodeAndNormalize(encoded, format, destination, budget);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.DecodeTimeout,
                $"Decoding the {format.Name} image took longer than the {decodeTimeout.TotalSeconds:0.###} s allowed; send a smaller or simpler image.",
                exception);
        }
        catch (OperationCanceledException exception) when (exception.CancellationToken != cancellationToken)
        {
            // The caller's token was cancelled while the linked one stopped the work: report the caller's.
            throw new OperationCanceledException(exception.Message, exception, cancellationToken);
        }
    }

    private unsafe void DecodeAndNormalize(ReadOnlySpan<byte> encoded, IImageFormat format, Span<float> destination, DecodeBudget budget)
    {
        fixed (byte* pointer = encoded)
        {
            if (format is PngFormat)
            {
                SanitizedPng png = PngValidator.Sanitize(pointer, encoded.Length, pixelBudget, budget);
                try
                {
                    fixed (byte* rebuilt = png.Rebuilt)
                    {
                        using var stream = new CancellableMemoryStream(rebuilt is null ? pointer : rebuilt, png.Length, budget);
                        DecodeAndNormalize(stream, format, destination, budget);
                    }
                }
                finally
                {
                    if (png.Rebuilt is { } rented)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                }

                return;
            }

            InspectContainer(encoded, format);
            using (var stream = new CancellableMemoryStream(pointer, encoded.Length, budget))
            {
                EnforcePixelLimit(stream, format, budget);
                stream.Position = 0;
                DecodeAndNormalize(stream, format, destination, budget);
            }
        }
    }

    private void InspectContainer(ReadOnlySpan<byte> encoded, IImageFormat format)
    {
        switch (format)
        {
            case GifFormat:
                GifInspector.Inspect(encoded, pixelBudget);
                break;
            case BmpFormat:
                BmpInspector.Inspect(encoded, pixelBudget);
                break;
            case WebpFormat:
                WebpInspector.Inspect(encoded, pixelBudget);
                break;
        }
    }

    private void DecodeAndNormalize(Stream stream, IImageFormat format, Span<float> destination, DecodeBudget budget)
    {
        budget.ThrowIfExceeded();
        Image<Rgba32> decoded;
        using (Activity? span = InferenceTelemetry.Source.StartActivity("decode"))
        {
            span?.SetTag("image.format", format.Name);
            decoded = Decode(stream, format, budget);
            span?.SetTag("image.width", decoded.Width).SetTag("image.height", decoded.Height);
        }
        using Image<Rgba32> image = decoded;
        budget.ThrowIfExceeded();
        using Activity? normalizing = InferenceTelemetry.Source.StartActivity("normalize");
        Normalize(image, destination, budget);
    }

    private void EnforcePixelLimit(Stream stream, IImageFormat format, DecodeBudget budget)
    {
        IImageInfo? info;
        try
        {
            info = ((IImageInfoDetector)configuration.ImageFormatsManager.FindDecoder(format)).Identify(configuration, stream, budget.Token);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {format.Name} image header could not be read; the file is corrupt or truncated.",
                exception);
        }

        if (info is null)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {format.Name} image header could not be read; the file is corrupt or truncated.");
        }

        pixelBudget.Enforce(info.Width, info.Height, format.Name);
    }

    private Image<Rgba32> Decode(Stream stream, IImageFormat format, DecodeBudget budget)
    {
        Image<Rgba32> image;
        try
        {
            image = configuration.ImageFormatsManager.FindDecoder(format).Decode<Rgba32>(configuration, stream, budget.Token);
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
            // AutoOrient and Resize take no token; both are linear in the (already limited) pixel count, so
            // the budget is checked before and after them.
            budget.ThrowIfExceeded();
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

    private static void Normalize(Image<Rgba32> image, Span<float> destination, DecodeBudget budget)
    {
        int length = image.Width * image.Height;
        float[] luminance = ArrayPool<float>.Shared.Rent(length);
        try
        {
            ToLuminanceOnWhite(image, luminance);
            budget.ThrowIfExceeded();
            DigitNormalizer.Normalize(luminance.AsSpan(0, length), image.Width, image.Height, destination[..DigitNormalizer.PixelCount]);
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
    /// Process-level failures (out of memory, stack) are not input problems and are left to propagate, and so is
    /// cancellation, which the caller turns into a timeout or passes on.
    /// </summary>
    private static bool IsDecoderFailure(Exception exception) =>
        exception is not (OutOfMemoryException or InsufficientExecutionStackException or ImageRejectedException
            or OperationCanceledException);
}
