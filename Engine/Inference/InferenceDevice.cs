using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Inference;

/// <summary>Builds ONNX Runtime session options for the configured device, falling back to the CPU.</summary>
public static class InferenceDevice
{
    /// <summary>The CPU execution provider.</summary>
    public const string Cpu = "cpu";

    /// <summary>The CUDA execution provider.</summary>
    public const string Cuda = "cuda";

    private const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>
    /// Session options for <paramref name="requested"/>. Asking for CUDA where the build carries no CUDA
    /// provider or no GPU answers logs a warning and returns CPU options; <paramref name="actual"/> says which.
    /// </summary>
    public static SessionOptions CreateSessionOptions(string requested, int intraOpThreads, ILogger logger, out string actual)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
        };
        actual = Cpu;
        if (!string.Equals(requested, Cuda, StringComparison.OrdinalIgnoreCase))
        {
            return options;
        }
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
        {
            logger.LogWarning("CUDA was asked for, but this build of ONNX Runtime has no CUDA provider (build with -p:UseCuda=true); running on the CPU.");
            return options;
        }
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            actual = Cuda;
        }
        catch (OnnxRuntimeException exception)
        {
            logger.LogWarning(exception, "CUDA was asked for, but no GPU could be used; running on the CPU.");
        }
        return options;
    }
}
