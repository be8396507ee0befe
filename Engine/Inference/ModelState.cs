namespace Engine.Inference;

/// <summary>Where a model in the models folder stands.</summary>
public enum ModelState
{
    /// <summary>Found, not loaded yet.</summary>
    Loading,

    /// <summary>Loaded, checked and serving.</summary>
    Ready,

    /// <summary>It could not be loaded or failed its checks; loading is retried with back-off.</summary>
    Failed,

    /// <summary>Taken out of service by an operator; it serves again after a load request.</summary>
    Unloaded,
}
