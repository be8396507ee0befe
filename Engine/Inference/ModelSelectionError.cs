namespace Engine.Inference;

/// <summary>Why no model could be chosen for a request.</summary>
public enum ModelSelectionError
{
    /// <summary>A model was chosen.</summary>
    None,

    /// <summary>No model has the requested name.</summary>
    ModelUnknown,

    /// <summary>The named model exists but does not serve (still loading, or failed).</summary>
    ModelUnavailable,

    /// <summary>The named model uses another activation than the one requested.</summary>
    ModelActivationMismatch,

    /// <summary>No activation has the requested id.</summary>
    ActivationUnknown,

    /// <summary>The activation exists, but no serving model uses it.</summary>
    ActivationWithoutModel,

    /// <summary>No architecture has the requested name, or none of its models serves.</summary>
    ArchitectureUnknown,

    /// <summary>No model serves at all.</summary>
    NoModel,
}
