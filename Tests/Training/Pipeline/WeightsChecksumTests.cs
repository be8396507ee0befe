using System.Security.Cryptography;
using Engine.Activations;
using Engine.Networks;
using Training.Pipeline;

namespace Tests.Training.Pipeline;

public sealed class WeightsChecksumTests
{
    [Fact]
    public void The_checksum_is_the_sha256_of_each_floats_bits_little_endian_in_order()
    {
        // 1.0f is 0x3F800000 and -0.0f is 0x80000000.
        byte[] bits = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x80];

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bits)), WeightsChecksum.Sha256([1f, -0f]));
    }

    [Fact]
    public void One_bit_of_one_weight_changes_the_checksum_and_so_does_the_order()
    {
        Network network = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1);
        string original = WeightsChecksum.Sha256(network);
        float[] parameters = network.Parameters.ToArray();

        parameters[^1] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(parameters[^1]) ^ 1);
        string oneBit = WeightsChecksum.Sha256(parameters);
        string reversed = WeightsChecksum.Sha256(network.Parameters.Reverse().ToArray());

        Assert.Equal(original, WeightsChecksum.Sha256(network.Parameters));
        Assert.NotEqual(original, oneBit);
        Assert.NotEqual(original, reversed);
        Assert.Equal(original, WeightsChecksum.Sha256(Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 1)));
    }
}
