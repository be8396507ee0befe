namespace Engine.Imaging;

/// <summary>Why an uploaded image was refused before any digit search took place.</summary>
public enum ImageRejectionReason
{
    /// <summary>The upload contained no bytes.</summary>
    Empty,

    /// <summary>
    /// The bytes are not PNG, JPEG, BMP, GIF or WebP (TIFF is deliberately refused), or are an animated WebP.
    /// </summary>
    UnsupportedFormat,

    /// <summary>The format was recognised but its header or data could not be decoded.</summary>
    Corrupt,

    /// <summary>The header declares more pixels than <see cref="ImageLimits.MaxPixels"/> allows.</summary>
    TooManyPixels,

    /// <summary>The header declares a side longer than <see cref="ImageLimits.MaxSide"/> allows.</summary>
    SideTooLong,

    /// <summary>Decoding did not finish within <see cref="ImageLimits.DecodeTimeout"/>.</summary>
    DecodeTimeout,
}
