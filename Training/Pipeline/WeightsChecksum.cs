using System.Buffers.Binary;
using System.Security.Cryptography;
using Engine.Networks;

namespace Training.Pipeline;

/// <summary>A fingerprint of a network's weights: two networks have the same one only if every parameter is the same, bit for bit.</summary>
public static class WeightsChecksum
{
    /// <summary>
    /// The SHA-256 of every parameter's IEEE 754 bits, little-endian, in the order of <see cref="Network.Parameters"/>
    /// (layer by layer, weights before biases), lower-case hex.
    /// </summary>
    public static string Sha256(Network network) => Sha256(network.Parameters);

    /// <inheritdoc cref="Sha256(Network)"/>
    public static string Sha256(ReadOnlySpan<float> parameters)
    {
        // Written out explicitly rather than reinterpreting the floats' memory, so the hash is the same on a big-endian machine.
        var bytes = new byte[parameters.Length * sizeof(float)];
        for (int i = 0; i < parameters.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), parameters[i]);
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
