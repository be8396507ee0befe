using System.Globalization;
using Contracts;
using Engine.Activations;
using Engine.Data;
using Engine.Inference;
using Engine.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Training;

/// <summary>
/// Makes one servable model: trains the baseline network, tests it, exports it to ONNX with its facts in
/// the metadata, checks that ONNX Runtime predicts exactly what the trainer predicted on every test image,
/// and writes the model card beside it.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>The network's name in model names and cards.</summary>
    public const string Architecture = "baseline";

    /// <summary>The network, in words.</summary>
    public const string ArchitectureDescription =
        "28×28×1 → conv 5×5, 20 filters → activation → max-pool 2×2 stride 2 → fully connected 10 → softmax";

    /// <summary>What the models expect as input.</summary>
    public const string Preprocessing =
        "float32 [N,1,28,28] in [0,1], white ink on black, as MNIST was made: alpha flattened onto white, grayscale, " +
        "dark-on-light inverted, cropped to the ink, longer side scaled to 20 px (anti-aliased), centre of mass placed at (14,14)";

    /// <summary>Trains, tests and exports one model into <paramref name="outputDirectory"/> and returns its card.</summary>
    /// <exception cref="InvalidOperationException">ONNX Runtime's predictions differ from the trainer's.</exception>
    public static ModelCard Run(
        ActivationFunction activation,
        DigitSplits data,
        TrainingOptions options,
        string outputDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        PreparedDigits training = PreparedDigits.From(data.Training);
        PreparedDigits validation = PreparedDigits.From(data.Validation);
        PreparedDigits test = PreparedDigits.From(data.Test);

        TrainingResult result = ConvNetTrainer.Train(activation, training, validation, options, progress, cancellationToken);
        Evaluation evaluation = ConvNetTrainer.Evaluate(result.Network, test);

        string name = $"{Architecture}-{activation.Id}";
        var card = new ModelCard(
            name, activation.Id, Architecture, ArchitectureDescription, data.Name, data.Split, options.Seed, options.Epochs,
            result.BestEpoch, evaluation.Accuracy, result.ValidationAccuracy, evaluation.PerClassAccuracy,
            Math.Round(result.Elapsed.TotalSeconds, 1), DateTimeOffset.UtcNow, Preprocessing, name + ".onnx", (int)OnnxGraphBuilder.OpsetVersion);

        Directory.CreateDirectory(outputDirectory);
        string onnxPath = Path.Combine(outputDirectory, card.OnnxFile);
        ConvNetOnnxExporter.ExportToFile(result.Network.Parameters.ToWeights(), activation.Id, Metadata(card), onnxPath);
        VerifyOnnxParity(onnxPath, card, test, evaluation);
        ModelCardFile.Write(Path.Combine(outputDirectory, name + ".json"), card);
        return card;
    }

    /// <summary>The predictions of an exported model run by ONNX Runtime (CPU) on <paramref name="digits"/>.</summary>
    public static int[] PredictWithOnnxRuntime(string onnxPath, ModelCard card, PreparedDigits digits)
    {
        using SessionOptions sessionOptions = InferenceDevice.CreateSessionOptions(InferenceDevice.Cpu, 0, NullLogger.Instance, out string device);
        using DigitModel model = DigitModel.Load(onnxPath, card, sessionOptions, device);
        var probabilities = new float[digits.Count * DigitModel.Classes];
        model.Classify(digits.Images, probabilities);
        return Enumerable.Range(0, digits.Count)
            .Select(i => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * DigitModel.Classes, DigitModel.Classes)))
            .ToArray();
    }

    private static void VerifyOnnxParity(string onnxPath, ModelCard card, PreparedDigits test, Evaluation trainer)
    {
        int[] onnx = PredictWithOnnxRuntime(onnxPath, card, test);
        int differences = onnx.Where((prediction, i) => prediction != trainer.Predictions[i]).Count();
        if (differences > 0)
        {
            File.Delete(onnxPath);
            throw new InvalidOperationException(
                $"ONNX Runtime disagrees with the trainer on {differences} of {test.Count} test images of {card.Name}; the model was not written.");
        }
    }

    private static Dictionary<string, string> Metadata(ModelCard card) => new()
    {
        ["name"] = card.Name,
        ["activation"] = card.Activation,
        ["architecture"] = $"{card.Architecture}: {card.ArchitectureDescription}",
        ["dataset"] = card.Dataset,
        ["split"] = $"training {card.Split.Training}, validation {card.Split.Validation}, test {card.Split.Test}, stratified, seed {card.Split.Seed}",
        ["seed"] = card.Seed.ToString(CultureInfo.InvariantCulture),
        ["epochs"] = card.Epochs.ToString(CultureInfo.InvariantCulture),
        ["best_epoch"] = card.BestEpoch.ToString(CultureInfo.InvariantCulture),
        ["test_accuracy"] = card.TestAccuracy.ToString("R", CultureInfo.InvariantCulture),
        ["trained_at"] = card.TrainedAt.ToString("O", CultureInfo.InvariantCulture),
        ["preprocessing"] = card.Preprocessing,
    };
}
