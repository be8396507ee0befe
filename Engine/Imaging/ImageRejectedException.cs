namespace Engine.Imaging;

/// <summary>
/// Thrown by <see cref="DigitImagePreprocessor"/> when an upload cannot be used as an image at all:
/// it is empty, of an unsupported format, corrupt, or declares too many pixels.
/// </summary>
/// <remarks>
/// <see cref="Reason"/> is the stable, machine-readable part; <see cref="Exception.Message"/> is meant for
/// the client and never contains decoder internals beyond a short description.
/// </remarks>
public sealed class ImageRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The category of the rejection.</param>
    /// <param name="message">A client-readable explanation.</param>
    public ImageRejectedException(ImageRejectionReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception wrapping the decoder failure that caused it.</summary>
    /// <param name="reason">The category of the rejection.</param>
    /// <param name="message">A client-readable explanation.</param>
    /// <param name="innerException">The decoder failure, kept for logs.</param>
    public ImageRejectedException(ImageRejectionReason reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The category of the rejection.</summary>
    public ImageRejectionReason Reason { get; }
}
