namespace Engine.Inference;

/// <summary>The backends a model can run on, and the values of <c>Inference:Backend</c>.</summary>
public static class InferenceBackends
{
    /// <summary>Managed where the graph can be imported (CPU only), ONNX Runtime otherwise.</summary>
    public const string Auto = "auto";

    /// <summary>The project's own network (Engine/Networks on the SIMD kernels), built from the ONNX graph.</summary>
    public const string Managed = "managed";

    /// <summary>ONNX Runtime's CPU execution provider.</summary>
    public const string OnnxRuntime = "onnxruntime";

    /// <summary>ONNX Runtime's CUDA execution provider.</summary>
    public const string OnnxRuntimeCuda = "onnxruntime-cuda";
}
