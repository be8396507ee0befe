namespace Benchmarks;

/// <summary>One measured median.</summary>
/// <param name="Contender">What ran: <c>ours_st</c>, <c>ours_mt</c>, <c>scalar</c>, <c>onnx</c>, <c>tp</c>, <c>copy</c>, <c>copy_nt</c>, <c>copy_vector</c>, <c>noisy_training</c>, <c>gemm</c>, <c>gemm_baseline</c>, <c>network_managed</c>, <c>network_ort</c>, <c>network_training</c>, <c>epilogue_unfused</c>, <c>epilogue_fused</c>, <c>epilogue_classify_one_thread</c>, <c>epilogue_classify_all_cores</c>, <c>layer_forward</c>, <c>pipeline_preprocess</c>, <c>pipeline_infer</c>, <c>pipeline_whole</c>.</param>
/// <param name="Subject">The activation id, the composition id for <c>tp</c>, the shape for GEMM, the architecture for the networks, the layer for <c>layer_forward</c>, or empty for the copies.</param>
/// <param name="Length">Floats per call; 0 for GEMM, whose size is its shape; images per call for the networks.</param>
/// <param name="MedianNanoseconds">The median time of one call.</param>
internal sealed record Timing(string Contender, string Subject, int Length, double MedianNanoseconds)
{
    /// <summary>The contender of a benchmark method.</summary>
    public static string ContenderOf(Type benchmarkType, string methodName) => (benchmarkType.Name, methodName) switch
    {
        // ActivationBenchmarks has an OnnxRuntime method too, so the network classes are told apart by type first.
        (nameof(NetworkInferenceBenchmarks), nameof(NetworkInferenceBenchmarks.Managed)) => "network_managed",
        (nameof(NetworkInferenceBenchmarks), nameof(NetworkInferenceBenchmarks.OnnxRuntime)) => "network_ort",
        (nameof(NetworkInferenceBenchmarks), nameof(NetworkInferenceBenchmarks.OnnxRuntimeAllCores)) => "network_ort_all_cores",
        (nameof(NetworkTrainingBenchmarks), nameof(NetworkTrainingBenchmarks.Epoch)) => "network_training",
        (nameof(FusedEpilogueBenchmarks), nameof(FusedEpilogueBenchmarks.Unfused)) => "epilogue_unfused",
        (nameof(FusedEpilogueBenchmarks), nameof(FusedEpilogueBenchmarks.Fused)) => "epilogue_fused",
        (nameof(FusedEpilogueBenchmarks), nameof(FusedEpilogueBenchmarks.ClassifyOneThread)) => "epilogue_classify_one_thread",
        (nameof(FusedEpilogueBenchmarks), nameof(FusedEpilogueBenchmarks.ClassifyAllCores)) => "epilogue_classify_all_cores",
        (nameof(EnhancedLayerBenchmarks), nameof(EnhancedLayerBenchmarks.Forward)) => "layer_forward",
        (nameof(PipelineBenchmarks), nameof(PipelineBenchmarks.Preprocess)) => "pipeline_preprocess",
        (nameof(PipelineBenchmarks), nameof(PipelineBenchmarks.Infer)) => "pipeline_infer",
        (nameof(PipelineBenchmarks), nameof(PipelineBenchmarks.Pipeline)) => "pipeline_whole",
        (nameof(PipelineBenchmarks), nameof(PipelineBenchmarks.PipelineAllCores)) => "pipeline_all_cores",
        _ => ContenderOf(methodName),
    };

    private static string ContenderOf(string methodName) => methodName switch
    {
        nameof(ActivationBenchmarks.OursSingleThreaded) => "ours_st",
        nameof(ActivationBenchmarks.OursMultiThreaded) => "ours_mt",
        nameof(ActivationBenchmarks.ScalarLoop) => "scalar",
        nameof(ActivationBenchmarks.OnnxRuntime) => "onnx",
        nameof(TensorPrimitivesBenchmarks.TensorPrimitives) => "tp",
        nameof(CopyBenchmarks.SpanCopyTo) => "copy",
        nameof(CopyBenchmarks.NonTemporalCopy) => "copy_nt",
        nameof(CopyBenchmarks.VectorCopy) => "copy_vector",
        nameof(NoisyReluTrainingBenchmarks.OursTraining) => "noisy_training",
        nameof(GemmBenchmarks.Ours) => "gemm",
        nameof(GemmBenchmarks.Baseline) => "gemm_baseline",
        _ => methodName,
    };

    /// <summary>(bytes read + bytes written) per second, in GB/s (10⁹ bytes).</summary>
    public double GigabytesPerSecond => 2.0 * Length * sizeof(float) / MedianNanoseconds;
}
