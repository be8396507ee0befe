using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Numerics;

namespace Tests.Engine.Numerics;

public sealed class CpuVectorSupportTests
{
    [Fact]
    public void Describe_names_the_architecture_and_exactly_the_vector_widths_and_instructions_in_use()
    {
        string description = CpuVectorSupport.Describe();

        Assert.StartsWith($"{RuntimeInformation.ProcessArchitecture}: ", description);
        Assert.Equal(Vector512.IsHardwareAccelerated, description.Contains("Vector512", StringComparison.Ordinal));
        Assert.Equal(Vector256.IsHardwareAccelerated, description.Contains("Vector256", StringComparison.Ordinal));
        Assert.Equal(Avx512F.IsSupported, description.Contains("AVX-512F", StringComparison.Ordinal));
        Assert.Equal(Fma.IsSupported, description.Contains("FMA", StringComparison.Ordinal));
    }
}
