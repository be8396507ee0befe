using Contracts.InferenceProtocol;
using Engine.Inference;

namespace Api.Apis.InferenceProtocol;

/// <summary>
/// The tensors every digit model takes and gives under the Open Inference Protocol: one of two inputs (the
/// normalised image, or encoded image files) and two outputs.
/// </summary>
public static class DigitTensors
{
    /// <summary>The FP32 input <c>[N, 1, 28, 28]</c>: images as the networks see them, white ink on black, values in [0, 1].</summary>
    public const string ImageInput = "image";

    /// <summary>The BYTES input <c>[N]</c>: encoded image files (PNG, JPEG, BMP, GIF, WebP), each a base64 string.</summary>
    public const string ImageBytesInput = "image_bytes";

    /// <summary>The FP32 output <c>[N, 10]</c>: the probability of each digit 0–9.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The INT64 output <c>[N]</c>: the most probable digit.</summary>
    public const string DigitOutput = "digit";

    public const string Fp32 = "FP32";
    public const string Int64 = "INT64";
    public const string Bytes = "BYTES";


    /// <summary>The platform of every model: an ONNX model, in the spec's <c>&lt;project&gt;_&lt;format&gt;</c> naming.</summary>
    public const string Platform = "onnx_onnxv1";

    /// <summary>The inputs of a model's metadata; a request gives exactly one of them.</summary>
    public static IReadOnlyList<MetadataTensor> Inputs { get; } =
    [
        new(ImageInput, Fp32, [-1, 1, DigitModel.ImageSide, DigitModel.ImageSide]),
        new(ImageBytesInput, Bytes, [-1]),
    ];

    /// <summary>The outputs of a model's metadata, in the order a response gives them by default.</summary>
    public static IReadOnlyList<MetadataTensor> Outputs { get; } =
    [
        new(ProbabilitiesOutput, Fp32, [-1, DigitModel.Classes]),
        new(DigitOutput, Int64, [-1]),
    ];
}
