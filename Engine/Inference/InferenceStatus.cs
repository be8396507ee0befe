namespace Engine.Inference;

/// <summary>How a request for inference ended.</summary>
public enum InferenceStatus
{
    /// <summary>The probabilities were written.</summary>
    Completed,

    /// <summary>The model's queue was full; the request was refused without waiting.</summary>
    QueueFull,

    /// <summary>The request waited longer than <see cref="BatchingOptions.QueueTimeoutMilliseconds"/> and was dropped.</summary>
    TimedOut,

    /// <summary>The caller cancelled (e.g. the client left) before its batch ran.</summary>
    Cancelled,

    /// <summary>The model stopped serving (unloaded or shutting down) before the request ran.</summary>
    Stopped,
}
