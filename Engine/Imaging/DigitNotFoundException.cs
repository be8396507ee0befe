namespace Engine.Imaging;

/// <summary>
/// Thrown when an image decodes correctly but contains no visible digit: it is blank, or its only
/// variation is too faint to be told apart from sensor or compression noise.
/// </summary>
/// <remarks>
/// Kept separate from <see cref="ImageRejectedException"/> because the upload itself is valid; the HTTP
/// layer maps this to 422 (unprocessable content) rather than 400/413/415.
/// </remarks>
public sealed class DigitNotFoundException : Exception
{
    private const string DefaultMessage =
        "The image contains no visible digit: it is blank or its contrast is too low to find any ink.";

    /// <summary>Creates the exception with the default message.</summary>
    public DigitNotFoundException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a specific message.</summary>
    /// <param name="message">Why no digit was found.</param>
    public DigitNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a specific message and the exception that caused it.</summary>
    /// <param name="message">Why no digit was found.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DigitNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
