namespace Engine.Activations;

/// <summary>The widest vector a kernel may use; <see cref="Best"/> picks the widest the hardware accelerates.</summary>
public enum VectorWidth
{
    /// <summary>The widest width the processor accelerates.</summary>
    Best = 0,
    /// <summary>No vectors: the scalar loop.</summary>
    Scalar = 1,
    /// <summary>128-bit vectors (4 floats).</summary>
    Vector128 = 128,
    /// <summary>256-bit vectors (8 floats).</summary>
    Vector256 = 256,
    /// <summary>512-bit vectors (16 floats).</summary>
    Vector512 = 512,
}
