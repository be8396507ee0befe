using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Engine.Numerics;

/// <summary>
/// The vector instructions this process may use. The kernels pick their vector width from them, and a
/// different width sums in a different order, so training repeats bit for bit only where they are the same.
/// </summary>
public static class CpuVectorSupport
{
    /// <summary>
    /// The processor architecture, the vector widths .NET accelerates and the instruction sets the kernels test
    /// for, e.g. <c>X64: Vector512 Vector256 Vector128; AVX-512F AVX2 FMA</c>.
    /// </summary>
    public static string Describe()
    {
        string[] widths =
        [
            .. Vector512.IsHardwareAccelerated ? ["Vector512"] : Array.Empty<string>(),
            .. Vector256.IsHardwareAccelerated ? ["Vector256"] : Array.Empty<string>(),
            .. Vector128.IsHardwareAccelerated ? ["Vector128"] : Array.Empty<string>(),
        ];
        var instructions = new List<string>();
        if (Avx512F.IsSupported)
        {
            instructions.Add("AVX-512F");
        }
        if (Avx2.IsSupported)
        {
            instructions.Add("AVX2");
        }
        if (Fma.IsSupported)
        {
            instructions.Add("FMA");
        }
        if (AdvSimd.IsSupported)
        {
            instructions.Add("AdvSimd");
        }
        return $"{RuntimeInformation.ProcessArchitecture}: {(widths.Length == 0 ? "no vector acceleration" : string.Join(' ', widths))}" +
               (instructions.Count == 0 ? "" : $"; {string.Join(' ', instructions)}");
    }
}
