using System.Globalization;
using System.Numerics.Tensors;
using Contracts;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Engine.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Training.Data;
using Training.Onnx;

namespace Training.Pipeline;

/// <summary>
/// Makes one servable model: trains a network, counts its dead and dormant units on the test images at
/// initialisation, after every epoch and at the end, tests it, exports it to ONNX with its facts in the
/// metadata, checks that ONNX Runtime agrees with the managed network on every test image, and writes the
/// model card beside it. The card records the exact recipe (with the data's checksums), the code's commit and
/// a checksum of the weights, so that the model can be trained again and compared bit for bit.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>ONNX Runtime's probabilities may differ from the managed network's by at most this much.</summary>
    public const float ProbabilityTolerance = 1e-4f;

    /// <summary>What the models expect as input.</summary>
    public const string Preprocessing =
        "float32 [N,1,28,28] in [0,1], white ink on black, as MNIST was made: alpha flattened onto white, grayscale, " +
        "dark-on-light inverted, cropped to the ink, longer side scaled to 20 px (anti-aliased), centre of mass placed at (14,14)";

    /// <summary>Trains, tests and exports one model into <paramref name="outputDirectory"/> and returns its card.</summary>
    /// <exception cref="InvalidOperationException">ONNX Runtime disagrees with the managed network.</exception>
    public static ModelCard Run(
        NetworkArchitecture architecture,
        ActivationFunction activation,
        DigitSplits data,
        TrainingOptions options,
        string outputDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        // Read before anything is written: the models folder is not code, but the moment of training is what counts.
        CodeVersion code = GitCodeVersion.Read();
        TrainingRecipe recipe = TrainingRecipes.Create(architecture, activation, options, data);
        PreparedDigits training = PreparedDigits.From(data.Training);
        PreparedDigits validation = PreparedDigits.From(data.Validation);
        PreparedDigits test = PreparedDigits.From(data.Test);

        var history = new List<UnitSnapshot>();
        TrainingResult result = NetworkTrainer.Train(architecture, activation, training, validation, options, progress,
            (epoch, network) => history.Add(UnitCensus.Take(network, test, epoch).Units), cancellationToken);
        (Evaluation evaluation, UnitSnapshot final) = UnitCensus.Take(result.Network, test, result.BestEpoch);

        string name = $"{architecture.Name}-{activation.Id}";
        var card = new ModelCard(
            name, activation.Id, architecture.Name, architecture.Description, data.Name, data.Split, options.Seed, result.History.Count,
            result.BestEpoch, evaluation.Accuracy, result.ValidationAccuracy, evaluation.PerClassAccuracy,
            Math.Round(result.Elapsed.TotalSeconds, 1), DateTimeOffset.UtcNow, Preprocessing, name + ".onnx", (int)OnnxGraphBuilder.OpsetVersion,
            Describe(options), final.Layers, history,
            recipe, recipe.Sha256(), WeightsChecksum.Sha256(result.Network), code, CpuVectorSupport.Describe());

        Directory.CreateDirectory(outputDirectory);
        string onnxPath = Path.Combine(outputDirectory, card.OnnxFile);
        NetworkOnnxExporter.ExportToFile(result.Network, Metadata(card), onnxPath);
        try
        {
            VerifyOnnxParity(onnxPath, card, result.Network, test);
        }
        catch (InvalidOperationException)
        {
            File.Delete(onnxPath);
            throw;
        }
        ModelCardFile.Write(Path.Combine(outputDirectory, name + ".json"), card);
        return card;
    }

    /// <summary>The class probabilities of an exported model run by ONNX Runtime (CPU) on <paramref name="digits"/>.</summary>
    public static float[] ClassifyWithOnnxRuntime(string onnxPath, ModelCard card, PreparedDigits digits)
    {
        using SessionOptions sessionOptions = InferenceDevice.CreateSessionOptions(InferenceDevice.Cpu, 0, NullLogger.Instance, out string device);
        using OnnxRuntimeBackend model = OnnxRuntimeBackend.Load(onnxPath, sessionOptions, device);
        var probabilities = new float[digits.Count * DigitModel.Classes];
        model.Classify(digits.Images, probabilities);
        return probabilities;
    }

    /// <summary>The largest difference between two sets of class probabilities and the number of images whose top class differs.</summary>
    public static (float MaxDifference, int Disagreements) Compare(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int classes)
    {
        float largest = 0;
        int disagreements = 0;
        Span<float> difference = stackalloc float[classes];
        for (int image = 0; image < expected.Length / classes; image++)
        {
            ReadOnlySpan<float> e = expected.Slice(image * classes, classes);
            ReadOnlySpan<float> a = actual.Slice(image * classes, classes);
            TensorPrimitives.Subtract(e, a, difference);
            largest = MathF.Max(largest, MathF.Abs(TensorPrimitives.MaxMagnitude(difference)));
            disagreements += TensorPrimitives.IndexOfMax(e) == TensorPrimitives.IndexOfMax(a) ? 0 : 1;
        }
        return (largest, disagreements);
    }

    private static void VerifyOnnxParity(string onnxPath, ModelCard card, Network network, PreparedDigits test)
    {
        float[] onnx = ClassifyWithOnnxRuntime(onnxPath, card, test);
        var managed = new float[onnx.Length];
        network.Classify(test.Images, managed);
        (float difference, int disagreements) = Compare(managed, onnx, DigitModel.Classes);
        if (disagreements > 0 || difference > ProbabilityTolerance)
        {
            throw new InvalidOperationException(
                $"ONNX Runtime disagrees with the managed network on {card.Name}: {disagreements} of {test.Count} test images classified differently, " +
                $"probabilities differ by up to {difference:G3} (allowed {ProbabilityTolerance:G3}); the model was not written.");
        }
    }

    /// <summary>The optimiser, schedule and augmentation of <paramref name="options"/>, in words.</summary>
    public static string Describe(TrainingOptions options)
    {
        var augmentation = new List<string>();
        if (options.MaxShift > 0)
        {
            augmentation.Add($"shifts up to ±{options.MaxShift} px");
        }
        if (options.MaxRotationDegrees > 0)
        {
            augmentation.Add($"rotations up to ±{options.MaxRotationDegrees:0.#}°");
        }
        if (options.MaxScale > 0)
        {
            augmentation.Add($"scaling up to ±{options.MaxScale * 100:0.#} %");
        }
        string stopping = options.Patience > 0 ? $", early stopping after {options.Patience} epochs without a better validation accuracy" : "";
        return FormattableString.Invariant($"Adam (lr {options.LearningRate}, cosine decay to lr/20 over {options.Epochs} epochs), batch {options.BatchSize}, ") +
            FormattableString.Invariant($"decoupled weight decay {options.WeightDecay}, He initialisation, ") +
            $"augmentation: {(augmentation.Count == 0 ? "none" : string.Join(", ", augmentation))}{stopping}; " +
            "the weights of the best validation epoch are kept";
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
        ["training"] = card.Training ?? "",
        ["recipe_sha256"] = card.RecipeSha256 ?? "",
        ["weights_sha256"] = card.WeightsSha256 ?? "",
        ["code_commit"] = GitCodeVersion.Describe(card.Code),
    };
}
