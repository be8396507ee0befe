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

    /// <summary>Threads ONNX Runtime may use inside one run; 0 lets it choose. Requests already run in parallel, so 1 is a good default.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;
}
