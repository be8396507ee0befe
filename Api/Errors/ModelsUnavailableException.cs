namespace Api.Errors;

/// <summary>Thrown when a request needs the models before they are loaded, or after loading failed.</summary>
public sealed class ModelsUnavailableException(bool stillLoading, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary><see langword="true"/> while loading is in progress (retrying will help); <see langword="false"/> once it failed.</summary>
    public bool StillLoading { get; } = stillLoading;
}
