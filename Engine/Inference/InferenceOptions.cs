using System.ComponentModel.DataAnnotations;

namespace Engine.Inference;

/// <summary>Where the models are and what runs them; bound from the <c>Inference</c> configuration section.</summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Inference";

    /// <summary>The folder holding the <c>*.onnx</c> models and their <c>*.json</c> model cards.</summary>
    [Required]
    public string ModelsDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary><c>cpu</c> (the default) or <c>cuda</c>; <c>cuda</c> falls back to the CPU, with a warning, where no GPU is usable.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda)$", ErrorMessage = "Inference:Device must be 'cpu' or 'cuda'.")]
    public string Device { get; set; } = InferenceDevice.Cpu;

    /// <summary>
    /// What runs the models: <c>auto</c> (the default: the managed network on the CPU for graphs it can import,
    /// ONNX Runtime otherwise and always on CUDA), <c>managed</c> or <c>onnxruntime</c>.
    /// </summary>
    [Required]
    [RegularExpression("^(auto|managed|onnxruntime)$", ErrorMessage = "Inference:Backend must be 'auto', 'managed' or 'onnxruntime'.")]
    public string Backend { get; set; } = InferenceBackends.Auto;

    /// <summary>
    /// Whether readiness needs every model in the folder to serve. Off (the default), the service is ready
    /// while at least one model serves, and the others are reported with their reasons.
    /// </summary>
    public bool RequireAllModels { get; set; }

    /// <summary>
    /// Whether the models folder is watched, so that a model added, replaced or removed there serves (or stops)
    /// without a restart. Default on.
    /// </summary>
    public bool WatchModels { get; set; } = true;

    /// <summary>The longest wait between two attempts to load a model that failed; attempts start after 1 s and double.</summary>
    [Range(1, 3600, ErrorMessage = "Inference:MaxRetryDelaySeconds must be between 1 and 3600.")]
    public int MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>
    /// Cores the managed backend may use for one batch: 1 (the default; under load the other cores are busy with
    /// other requests, and the batcher runs one batch per worker) or −1 for all.
    /// </summary>
    [Range(-1, 256, ErrorMessage = "Inference:ManagedThreads must be -1 (all cores) or between 1 and 256.")]
    public int ManagedThreads { get; set; } = 1;

    /// <summary>Threads ONNX Runtime may use inside one run; 0 lets it choose. Requests already run in parallel, so 1 is a good default.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;
}
