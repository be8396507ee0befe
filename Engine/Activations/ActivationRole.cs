namespace Engine.Activations;

/// <summary>What the product does with an activation beyond offering its kernels.</summary>
/// <remarks>
/// Every activation can be trained, exported to ONNX, imported back and studied; the role only says whether the
/// product ships trained models for it.
/// </remarks>
public enum ActivationRole
{
    /// <summary>Trained models of it ship with the service (the article's six activations).</summary>
    Served,

    /// <summary>Trained, exported and compared in the activation study, without models that ship with the service.</summary>
    Studied,
}
