using System.Buffers;
using Api.Errors;
using Engine.Imaging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Api.Apis;

/// <summary>
/// The images of a classify request, read from a multipart form's <c>image</c> parts or from a raw image body,
/// or the problem that prevented reading them.
/// </summary>
public readonly record struct ImageUpload(IReadOnlyList<ImagePart> Images, ProblemDetails? Problem)
{
    /// <summary>The multipart form field that carries the image.</summary>
    public const string FormField = "image";

    public const string MultipartFormData = "multipart/form-data";

    /// <summary>Raw bodies of this type are accepted too: the format is detected from the bytes.</summary>
    public const string OctetStream = "application/octet-stream";

    // Well under the 85,000 bytes from which an array lives on the large-object heap: when the shared pool has none
    // to lend, a fresh one costs a gen0 allocation, not a gen2 collection.
    private const int ChunkSize = 16_384;

    /// <summary>The media types a raw (non-multipart) body may declare.</summary>
    public static IReadOnlyList<string> RawMediaTypes { get; } = [.. DigitImagePreprocessor.AcceptedMediaTypes, OctetStream];

    private static string AcceptedContentTypes =>
        $"{MultipartFormData} with a file field '{FormField}', or a raw body of type {string.Join(", ", RawMediaTypes)}";

    /// <summary>The one image of the request.</summary>
    public ReadOnlyMemory<byte> Bytes => Images[0].Bytes;

    /// <summary>
    /// Reads the image, or with <paramref name="maxImages"/> &gt; 1 up to that many <c>image</c> parts of a form,
    /// buffering at most <paramref name="maxBytes"/> of body.
    /// </summary>
    public static async Task<ImageUpload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken, int maxImages = 1)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        MediaTypeHeaderValue? mediaType = null;
        if (!string.IsNullOrEmpty(request.ContentType) && !MediaTypeHeaderValue.TryParse(request.ContentType, out mediaType))
        {
            return Fail(ProblemTypes.MediaTypeUnsupported, $"The Content-Type '{request.ContentType}' cannot be parsed. Send {AcceptedContentTypes}.");
        }
        string? type = mediaType?.MediaType.Value;
        bool multipart = string.Equals(type, MultipartFormData, StringComparison.OrdinalIgnoreCase);
        if (type is not null && !multipart && !RawMediaTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return Fail(ProblemTypes.MediaTypeUnsupported, $"The Content-Type '{type}' is not accepted. Send {AcceptedContentTypes}.");
        }

        MemoryStream? body = await ReadBodyAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(maxBytes);
        }
        if (body.Length == 0)
        {
            return Fail(ProblemTypes.ImageEmpty, $"The request body is empty. Send {AcceptedContentTypes}.");
        }
        if (type is null)
        {
            return Fail(ProblemTypes.MediaTypeUnsupported, $"The request has no Content-Type. Send {AcceptedContentTypes}.");
        }
        return multipart
            ? await ReadImagePartsAsync(body, mediaType!, maxImages, cancellationToken)
            : new ImageUpload([new ImagePart(body.GetBuffer().AsMemory(0, (int)body.Length), null)], null);
    }

    // Null when the body is larger than maxBytes; Kestrel's own limit (the same value) may also end the read.
    private static async Task<MemoryStream?> ReadBodyAsync(Stream source, long? length, long maxBytes, CancellationToken cancellationToken)
    {
        // Sized from Content-Length when the client sent one (already checked against maxBytes): no regrowth.
        var body = new MemoryStream(capacity: (int)Math.Min(length ?? 0, maxBytes));
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }
                body.Write(chunk, 0, read);
            }
            return body;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task<ImageUpload> ReadImagePartsAsync(MemoryStream body, MediaTypeHeaderValue mediaType, int maxImages, CancellationToken cancellationToken)
    {
        string? boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
        {
            return Fail(ProblemTypes.MultipartMalformed, "The multipart/form-data Content-Type has no boundary parameter.");
        }

        body.Position = 0;
        var reader = new MultipartReader(boundary, body);
        var images = new List<ImagePart>();
        int part = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                part++;
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
                {
                    return Fail(ProblemTypes.MultipartMalformed,
                        $"The Content-Disposition header of part {part} cannot be parsed (a file name with a line break or an unbalanced quote?).");
                }
                if (!string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FormField, StringComparison.Ordinal))
                {
                    continue;
                }
                if (images.Count == maxImages)
                {
                    return Fail(ProblemTypes.TooManyImages, maxImages == 1
                        ? $"The form has more than one '{FormField}' field. Send one image, or several to POST /v1/classify/batch."
                        : $"The form has more than {maxImages} '{FormField}' fields; the limit is Classification:MaxBatchImages = {maxImages}.");
                }
                var image = new MemoryStream();
                await section.Body.CopyToAsync(image, ChunkSize, cancellationToken);
                string? fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (image.Length == 0 && maxImages == 1)
                {
                    return Fail(ProblemTypes.ImageEmpty, $"The form field '{FormField}' is empty (0 bytes).");
                }
                images.Add(new ImagePart(image.GetBuffer().AsMemory(0, (int)image.Length), fileName));
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            return Fail(ProblemTypes.MultipartMalformed, $"The multipart body could not be read: {exception.Message}");
        }

        return images.Count > 0
            ? new ImageUpload(images, null)
            : Fail(ProblemTypes.ImageFieldMissing,
                $"The multipart form has no field named '{FormField}'. Send the image as the file field '{FormField}' (e.g. curl -F {FormField}=@digit.png).");
    }

    private static ImageUpload TooLarge(long maxBytes) =>
        Fail(ProblemTypes.RequestTooLarge, $"The request body is larger than the {maxBytes:N0}-byte limit.");

    private static ImageUpload Fail(ProblemType type, string detail) => new([], type.With(detail));
}
