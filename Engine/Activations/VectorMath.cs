using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// Exponentials in single precision for the activation kernels. The runtime's Vector*.Exp(float) is
/// accurate but works in double precision internally, which makes every kernel built on it several times
/// slower than the memory allows; these stay in float: x = k·ln 2 + r with |r| ≤ ln2/2 (Cody–Waite, ln 2
/// split in two so k·ln2High is exact), a polynomial for eʳ − 1, and 2ᵏ placed in the exponent field.
/// </summary>
/// <remarks>
/// The scalar forms run the same steps with the same constants and fused multiply-adds, so a scalar result
/// equals each vector lane's bit for bit.
/// </remarks>
internal static class VectorMath
{
    private const float InverseLn2 = 1.44269504088896341f;
    private const float Ln2High = 0.693145751953125f;          // ln 2 to 16 bits: k·Ln2High is exact for |k| ≤ 256
    private const float Ln2Low = 1.428606765330187045e-06f;    // ln 2 − Ln2High
    private const float ExpMin = -104f;                        // below e⁻¹⁰³·⁹⁷ even denormals round to 0
    private const float ExpMax = 89f;                          // above e⁸⁸·⁷² the result is +∞
    private const float ExpM1Max = 88f;                        // k ≤ 127: 2ᵏ in one exponent field
    private const float ExpM1Min = -20f;                       // eˣ − 1 rounds to −1 below about −17.3

    // Adding 1.5·2²³ rounds a float of magnitude below 2²² to a whole number, which then sits in the low
    // bits of the sum's mantissa: k comes out as a float (subtract it again) and as an integer (subtract
    // its bits) with no conversion instruction.
    private const float RoundingMagic = 12582912f;
    private const int RoundingMagicBits = 0x4B400000;

    /// <summary>eˣ, as the vector forms compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = Math.Clamp(x, ExpMin, ExpMax);
        float shifted = MathF.FusedMultiplyAdd(x, InverseLn2, RoundingMagic);
        float k = shifted - RoundingMagic;
        float r = MathF.FusedMultiplyAdd(k, -Ln2Low, MathF.FusedMultiplyAdd(k, -Ln2High, x));
        int whole = BitConverter.SingleToInt32Bits(shifted) - RoundingMagicBits;
        int half = whole >> 1;
        return (ExpM1Reduced(r) + 1f) * PowerOfTwo(half) * PowerOfTwo(whole - half);
    }

    /// <summary>eˣ − 1, as the vector forms compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpM1(float x)
    {
        x = Math.Clamp(x, ExpM1Min, ExpM1Max);
        float shifted = MathF.FusedMultiplyAdd(x, InverseLn2, RoundingMagic);
        float k = shifted - RoundingMagic;
        float r = MathF.FusedMultiplyAdd(k, -Ln2Low, MathF.FusedMultiplyAdd(k, -Ln2High, x));
        float scale = PowerOfTwo(BitConverter.SingleToInt32Bits(shifted) - RoundingMagicBits);
        return MathF.FusedMultiplyAdd(scale, ExpM1Reduced(r), scale - 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpM1Reduced(float r)
    {
        float p = MathF.FusedMultiplyAdd(r, 1f / 5040, 1f / 720);
        p = MathF.FusedMultiplyAdd(r, p, 1f / 120);
        p = MathF.FusedMultiplyAdd(r, p, 1f / 24);
        p = MathF.FusedMultiplyAdd(r, p, 1f / 6);
        p = MathF.FusedMultiplyAdd(r, p, 0.5f);
        return MathF.FusedMultiplyAdd(r * r, p, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float PowerOfTwo(int k) => BitConverter.Int32BitsToSingle((k + 127) << 23);

    /// <summary>
    /// eˣ, to about an ULP, over the whole float range: 2ᵏ is applied as two halves, so results that
    /// underflow into denormals or overflow to +∞ do so as they should.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.ClampNative(x, Vector128.Create(ExpMin), Vector128.Create(ExpMax));
        Vector128<float> shifted = Vector128.FusedMultiplyAdd(x, Vector128.Create(InverseLn2), Vector128.Create(RoundingMagic));
        Vector128<float> k = shifted - Vector128.Create(RoundingMagic);
        Vector128<float> r = Vector128.FusedMultiplyAdd(k, Vector128.Create(-Ln2Low), Vector128.FusedMultiplyAdd(k, Vector128.Create(-Ln2High), x));
        Vector128<int> whole = shifted.As<float, int>() - Vector128.Create(RoundingMagicBits);
        Vector128<int> half = Vector128.ShiftRightArithmetic(whole, 1);
        return (ExpM1Reduced(r) + Vector128<float>.One) * PowerOfTwo(half) * PowerOfTwo(whole - half);
    }

    /// <summary>eˣ − 1, to about an ULP, for x ≤ 88 (ELU needs x &lt; 0), without the cancellation of eˣ − 1 near 0; below −20 it is −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpM1(Vector128<float> x)
    {
        x = Vector128.ClampNative(x, Vector128.Create(ExpM1Min), Vector128.Create(ExpM1Max));
        Vector128<float> shifted = Vector128.FusedMultiplyAdd(x, Vector128.Create(InverseLn2), Vector128.Create(RoundingMagic));
        Vector128<float> k = shifted - Vector128.Create(RoundingMagic);
        Vector128<float> r = Vector128.FusedMultiplyAdd(k, Vector128.Create(-Ln2Low), Vector128.FusedMultiplyAdd(k, Vector128.Create(-Ln2High), x));
        Vector128<float> scale = PowerOfTwo(shifted.As<float, int>() - Vector128.Create(RoundingMagicBits));
        // 2ᵏ·eʳ − 1 = 2ᵏ·(eʳ − 1) + (2ᵏ − 1): for k = 0 this is the polynomial itself, exact near 0.
        return Vector128.FusedMultiplyAdd(scale, ExpM1Reduced(r), scale - Vector128<float>.One);
    }

    // eʳ − 1 for |r| ≤ ln2/2: the degree-7 Taylor polynomial (truncation below 0.2 ULP), Horner form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpM1Reduced(Vector128<float> r)
    {
        Vector128<float> p = Vector128.FusedMultiplyAdd(r, Vector128.Create(1f / 5040), Vector128.Create(1f / 720));
        p = Vector128.FusedMultiplyAdd(r, p, Vector128.Create(1f / 120));
        p = Vector128.FusedMultiplyAdd(r, p, Vector128.Create(1f / 24));
        p = Vector128.FusedMultiplyAdd(r, p, Vector128.Create(1f / 6));
        p = Vector128.FusedMultiplyAdd(r, p, Vector128.Create(0.5f));
        return Vector128.FusedMultiplyAdd(r * r, p, r);
    }

    // 2ᵏ for a whole k in [−126, 127], built in the exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> PowerOfTwo(Vector128<int> k) => Vector128.ShiftLeft(k + Vector128.Create(127), 23).As<int, float>();

    /// <summary>
    /// eˣ, to about an ULP, over the whole float range: 2ᵏ is applied as two halves, so results that
    /// underflow into denormals or overflow to +∞ do so as they should.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.ClampNative(x, Vector256.Create(ExpMin), Vector256.Create(ExpMax));
        Vector256<float> shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(InverseLn2), Vector256.Create(RoundingMagic));
        Vector256<float> k = shifted - Vector256.Create(RoundingMagic);
        Vector256<float> r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Low), Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2High), x));
        Vector256<int> whole = shifted.As<float, int>() - Vector256.Create(RoundingMagicBits);
        Vector256<int> half = Vector256.ShiftRightArithmetic(whole, 1);
        return (ExpM1Reduced(r) + Vector256<float>.One) * PowerOfTwo(half) * PowerOfTwo(whole - half);
    }

    /// <summary>eˣ − 1, to about an ULP, for x ≤ 88 (ELU needs x &lt; 0), without the cancellation of eˣ − 1 near 0; below −20 it is −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpM1(Vector256<float> x)
    {
        x = Vector256.ClampNative(x, Vector256.Create(ExpM1Min), Vector256.Create(ExpM1Max));
        Vector256<float> shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(InverseLn2), Vector256.Create(RoundingMagic));
        Vector256<float> k = shifted - Vector256.Create(RoundingMagic);
        Vector256<float> r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Low), Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2High), x));
        Vector256<float> scale = PowerOfTwo(shifted.As<float, int>() - Vector256.Create(RoundingMagicBits));
        // 2ᵏ·eʳ − 1 = 2ᵏ·(eʳ − 1) + (2ᵏ − 1): for k = 0 this is the polynomial itself, exact near 0.
        return Vector256.FusedMultiplyAdd(scale, ExpM1Reduced(r), scale - Vector256<float>.One);
    }

    // eʳ − 1 for |r| ≤ ln2/2: the degree-7 Taylor polynomial (truncation below 0.2 ULP), Horner form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpM1Reduced(Vector256<float> r)
    {
        Vector256<float> p = Vector256.FusedMultiplyAdd(r, Vector256.Create(1f / 5040), Vector256.Create(1f / 720));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(1f / 120));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(1f / 24));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(1f / 6));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(0.5f));
        return Vector256.FusedMultiplyAdd(r * r, p, r);
    }

    // 2ᵏ for a whole k in [−126, 127], built in the exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PowerOfTwo(Vector256<int> k) => Vector256.ShiftLeft(k + Vector256.Create(127), 23).As<int, float>();

    /// <summary>
    /// eˣ, to about an ULP, over the whole float range: 2ᵏ is applied as two halves, so results that
    /// underflow into denormals or overflow to +∞ do so as they should.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.ClampNative(x, Vector512.Create(ExpMin), Vector512.Create(ExpMax));
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(InverseLn2), Vector512.Create(RoundingMagic));
        Vector512<float> k = shifted - Vector512.Create(RoundingMagic);
        Vector512<float> r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Low), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2High), x));
        Vector512<int> whole = shifted.As<float, int>() - Vector512.Create(RoundingMagicBits);
        Vector512<int> half = Vector512.ShiftRightArithmetic(whole, 1);
        return (ExpM1Reduced(r) + Vector512<float>.One) * PowerOfTwo(half) * PowerOfTwo(whole - half);
    }

    /// <summary>eˣ − 1, to about an ULP, for x ≤ 88 (ELU needs x &lt; 0), without the cancellation of eˣ − 1 near 0; below −20 it is −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpM1(Vector512<float> x)
    {
        x = Vector512.ClampNative(x, Vector512.Create(ExpM1Min), Vector512.Create(ExpM1Max));
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(InverseLn2), Vector512.Create(RoundingMagic));
        Vector512<float> k = shifted - Vector512.Create(RoundingMagic);
        Vector512<float> r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Low), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2High), x));
        Vector512<float> scale = PowerOfTwo(shifted.As<float, int>() - Vector512.Create(RoundingMagicBits));
        // 2ᵏ·eʳ − 1 = 2ᵏ·(eʳ − 1) + (2ᵏ − 1): for k = 0 this is the polynomial itself, exact near 0.
        return Vector512.FusedMultiplyAdd(scale, ExpM1Reduced(r), scale - Vector512<float>.One);
    }

    // eʳ − 1 for |r| ≤ ln2/2: the degree-7 Taylor polynomial (truncation below 0.2 ULP), Horner form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpM1Reduced(Vector512<float> r)
    {
        Vector512<float> p = Vector512.FusedMultiplyAdd(r, Vector512.Create(1f / 5040), Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(0.5f));
        return Vector512.FusedMultiplyAdd(r * r, p, r);
    }

    // 2ᵏ for a whole k in [−126, 127], built in the exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PowerOfTwo(Vector512<int> k) => Vector512.ShiftLeft(k + Vector512.Create(127), 23).As<int, float>();
}
