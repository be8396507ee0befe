using Contracts;
using Engine.Networks;
using Engine.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Inference;

/// <summary>
/// Builds the backend that <see cref="InferenceOptions.Backend"/> and <see cref="InferenceOptions.Device"/>
/// ask for, and checks it against ONNX Runtime on <see cref="ProbeDigits"/> before it may serve.
/// </summary>
public sealed class InferenceBackendFactory : IDisposable
{
    /// <summary>The largest difference in any probability allowed between a backend and ONNX Runtime.</summary>
    public const float Tolerance = 1e-4f;

    private readonly InferenceOptions options;
    private readonly SessionOptions sessionOptions;
    private readonly string device;

    /// <summary>Prepares ONNX Runtime's session options once for every model.</summary>
    public InferenceBackendFactory(InferenceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        sessionOptions = InferenceDevice.CreateSessionOptions(options.Device, options.IntraOpThreads, logger, out device);
    }

    /// <summary>The device ONNX Runtime actually runs on.</summary>
    public string Device => device;

    /// <summary>
    /// The backend for the ONNX model <paramref name="onnx"/> described by <paramref name="card"/>.
    /// </summary>
    /// <exception cref="ModelLoadException">The model cannot serve; the message says why.</exception>
    public IInferenceBackend Create(ModelCard card, byte[] onnx)
    {
        OnnxRuntimeBackend reference;
        try
        {
            reference = OnnxRuntimeBackend.Load(onnx, sessionOptions, device);
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or InvalidDataException)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load '{card.OnnxFile}': {FirstLine(exception.Message)}", exception);
        }

        try
        {
            float[] expected = Probe(reference);
            CheckProbabilities(expected, InferenceBackends.OnnxRuntime);
            bool wantsManaged = options.Backend == InferenceBackends.Managed
                || (options.Backend == InferenceBackends.Auto && device == InferenceDevice.Cpu);
            if (!wantsManaged)
            {
                return reference;
            }

            if (!OnnxNetworkImporter.TryImport(onnx, out Network? network, out string? reason))
            {
                if (options.Backend == InferenceBackends.Managed)
                {
                    throw new ModelLoadException($"The managed backend cannot run '{card.OnnxFile}': {reason}");
                }
                return reference;
            }

            var managed = new ManagedBackend(network, options.ManagedThreads == 0 ? 1 : options.ManagedThreads);
            CheckAgainstReference(managed, expected);
            reference.Dispose();
            return managed;
        }
        catch
        {
            reference.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => sessionOptions.Dispose();

    private static float[] Probe(IInferenceBackend backend)
    {
        var probabilities = new float[ProbeDigits.Count * DigitModel.Classes];
        backend.Classify(ProbeDigits.All, probabilities);
        return probabilities;
    }

    private static void CheckProbabilities(ReadOnlySpan<float> probabilities, string backend)
    {
        for (int image = 0; image < probabilities.Length / DigitModel.Classes; image++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(image * DigitModel.Classes, DigitModel.Classes);
            float sum = 0;
            foreach (float value in p)
            {
                if (!float.IsFinite(value) || value < 0)
                {
                    throw new ModelLoadException($"{backend} gives a probability of {value} on probe digit {image}.");
                }
                sum += value;
            }
            if (MathF.Abs(sum - 1) > 1e-3f)
            {
                throw new ModelLoadException($"{backend}'s probabilities on probe digit {image} sum to {sum}, not 1.");
            }
        }
    }

    private static void CheckAgainstReference(IInferenceBackend backend, float[] expected)
    {
        float[] actual = Probe(backend);
        for (int image = 0; image < ProbeDigits.Count; image++)
        {
            ReadOnlySpan<float> a = actual.AsSpan(image * DigitModel.Classes, DigitModel.Classes);
            ReadOnlySpan<float> e = expected.AsSpan(image * DigitModel.Classes, DigitModel.Classes);
            int classA = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(a);
            int classE = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(e);
            float difference = 0;
            for (int c = 0; c < DigitModel.Classes; c++)
            {
                difference = MathF.Max(difference, MathF.Abs(a[c] - e[c]));
            }
            if (classA != classE || !(difference <= Tolerance))
            {
                throw new ModelLoadException(
                    $"The {backend.Name} backend disagrees with ONNX Runtime on probe digit {image}: class {classA} against {classE}, " +
                    $"probabilities differ by up to {difference:G3} (allowed {Tolerance:G1}).");
            }
        }
    }

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim();
}
