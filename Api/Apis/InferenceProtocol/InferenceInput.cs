using System.Globalization;
using System.Text.Json;
using Contracts.InferenceProtocol;
using Engine.Inference;

namespace Api.Apis.InferenceProtocol;

/// <summary>
/// The images of an inference request's one input: normalised 28×28 images from the FP32 input, or encoded
/// image files from the BYTES input; or why the input cannot be read.
/// </summary>
public sealed record InferenceInput(IReadOnlyList<float[]> Images, IReadOnlyList<byte[]> EncodedImages, ProtocolError? Error)
{
    private const float RoundingTolerance = 1e-3f;

    /// <summary>The number of images.</summary>
    public int Count => Images.Count + EncodedImages.Count;

    /// <summary>Reads <paramref name="input"/>, which may hold at most <paramref name="maxImages"/> images.</summary>
    public static InferenceInput Read(RequestInput input, int maxImages)
    {
        if (string.IsNullOrEmpty(input.Name))
        {
            return Fail($"An input has no name. Give '{DigitTensors.ImageInput}' (FP32 [N,1,28,28]) or '{DigitTensors.ImageBytesInput}' (BYTES [N]).");
        }
        if (input.Datatype is null || input.Shape is null || input.Data.ValueKind == JsonValueKind.Undefined)
        {
            return Fail($"The input '{input.Name}' needs a name, shape, datatype and data.");
        }
        (string datatype, string shapeText) = input.Name switch
        {
            DigitTensors.ImageInput => (DigitTensors.Fp32, "[N,1,28,28]"),
            DigitTensors.ImageBytesInput => (DigitTensors.Bytes, "[N]"),
            _ => (string.Empty, string.Empty),
        };
        if (datatype.Length == 0)
        {
            return Fail($"The model has no input '{input.Name}'. Inputs: '{DigitTensors.ImageInput}' (FP32 [N,1,28,28], white ink on black, " +
                        $"values in [0, 1]) or '{DigitTensors.ImageBytesInput}' (BYTES [N], base64-encoded image files).");
        }
        if (!string.Equals(input.Datatype, datatype, StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"The input '{input.Name}' has the datatype {datatype}, not {input.Datatype}.");
        }

        IReadOnlyList<long> shape = input.Shape;
        bool shapeFits = datatype == DigitTensors.Fp32
            ? shape is [_, 1, DigitModel.ImageSide, DigitModel.ImageSide]
            : shape is [_] or [_, 1];
        if (!shapeFits)
        {
            return Fail($"The input '{input.Name}' has the shape {shapeText}, not {Describe(shape)}.");
        }
        long count = shape[0];
        if (count < 1)
        {
            return Fail($"The input '{input.Name}' holds no image: its shape is {Describe(shape)}.");
        }
        if (count > maxImages)
        {
            return Fail($"The input '{input.Name}' holds {count} images; a request may hold at most {maxImages} (Classification:MaxBatchImages).");
        }

        int elements = checked((int)count * (datatype == DigitTensors.Fp32 ? DigitModel.ImageSize : 1));
        if (input.Data.ValueKind != JsonValueKind.Array)
        {
            return Fail($"The data of the input '{input.Name}' is not a JSON array.");
        }
        var flat = new List<JsonElement>(elements);
        Flatten(input.Data, flat, elements);
        if (flat.Count != elements)
        {
            return Fail(flat.Count > elements
                ? $"The input '{input.Name}' has more than the {elements} elements its shape {Describe(shape)} holds."
                : $"The input '{input.Name}' has {flat.Count} elements; its shape {Describe(shape)} holds {elements}.");
        }
        return datatype == DigitTensors.Fp32 ? ReadImages(input.Name, flat, (int)count) : ReadEncodedImages(input.Name, flat);
    }

    private static InferenceInput ReadImages(string name, List<JsonElement> flat, int count)
    {
        var images = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var image = new float[DigitModel.ImageSize];
            for (int j = 0; j < image.Length; j++)
            {
                JsonElement element = flat[i * DigitModel.ImageSize + j];
                // The networks were trained on [0, 1]; anything else (0–255 bytes, a mean-subtracted image) is a client mistake.
                // Rounding may leave a value a few ulps outside (preprocessing itself does), so those pass unchanged.
                if (element.ValueKind != JsonValueKind.Number || !element.TryGetSingle(out float value)
                    || !(value is >= -RoundingTolerance and <= 1f + RoundingTolerance))
                {
                    return Fail($"Element {i * DigitModel.ImageSize + j} of the input '{name}' is {element.GetRawText()}: the image's values are " +
                                "numbers in [0, 1], white ink on black, as the networks see them. Send encoded files to the BYTES input " +
                                $"'{DigitTensors.ImageBytesInput}' to have them preprocessed.");
                }
                image[j] = value;
            }
            images[i] = image;
        }
        return new InferenceInput(images, [], null);
    }

    private static InferenceInput ReadEncodedImages(string name, List<JsonElement> flat)
    {
        var encoded = new byte[flat.Count][];
        for (int i = 0; i < flat.Count; i++)
        {
            JsonElement element = flat[i];
            // The protocol sends BYTES elements as strings; clients of KServe and TensorFlow Serving also wrap base64 as {"b64": "…"}.
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("b64", out JsonElement wrapped))
            {
                element = wrapped;
            }
            if (element.ValueKind != JsonValueKind.String)
            {
                return Fail($"Element {i} of the input '{name}' is not a string: each element is an image file (PNG, JPEG, BMP, GIF, WebP) in base64.");
            }
            try
            {
                encoded[i] = Convert.FromBase64String(element.GetString()!);
            }
            catch (FormatException)
            {
                return Fail($"Element {i} of the input '{name}' is not valid base64: each element is an image file (PNG, JPEG, BMP, GIF, WebP) in base64.");
            }
        }
        return new InferenceInput([], encoded, null);
    }

    // Row-major elements of nested arrays; stops once it has one more than it needs, so a huge body costs no more.
    private static void Flatten(JsonElement element, List<JsonElement> into, int expected)
    {
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (into.Count > expected)
            {
                return;
            }
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, into, expected);
            }
            else
            {
                into.Add(item);
            }
        }
    }

    private static string Describe(IReadOnlyList<long> shape) =>
        "[" + string.Join(",", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static InferenceInput Fail(string message) => new([], [], ProtocolError.BadRequest(message));
}
