using Engine.Activations;
using Engine.Numerics;

namespace Tests.Engine.Numerics;

/// <summary>
/// <see cref="Gemm.Multiply(int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
/// against a double-precision reference, on every path. Spans end exactly where the shape does, the arrays
/// behind them go on with NaN (so a read past the shape poisons the result), and the padding of C between
/// and after its rows holds a sentinel that must survive.
/// </summary>
public class GemmTests
{
    private const float Sentinel = 12345f;

    /// <summary>Float sums of k products: allowed error per element, relative to Σ|a||b|.</summary>
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.Vector256, VectorWidth.Vector512];

    /// <summary>The layers' shapes (m, n, k, A transposed) at training and inference.</summary>
    public static TheoryData<int, int, int, bool> NetworkShapes => new()
    {
        // Convolution forward: A is the im2col patch matrix.
        { 784, 16, 25, false },
        { 196, 32, 400, false },
        { 576, 20, 25, false },
        // Convolution weight gradient: A is the transposed patch matrix.
        { 25, 16, 784, true },
        { 400, 32, 196, true },
        { 25, 20, 576, true },
        // Convolution input gradient.
        { 196, 400, 32, false },
        // Dense forward, weight gradient (A transposed), input gradient, output layer.
        { 16, 128, 1568, false },
        { 100, 128, 1568, false },
        { 1568, 128, 16, true },
        { 1568, 128, 64, true },
        { 16, 1568, 128, false },
        { 64, 1568, 128, false },
        { 16, 10, 128, false },
        { 64, 10, 2880, false },
        { 128, 10, 16, true },
    };

    [Theory]
    [Trait("Tier", "Slow")]
    [MemberData(nameof(NetworkShapes))]
    public void NetworkShapes_OnEveryPathAndLayout_MatchTheReference(int m, int n, int k, bool transposed)
    {
        foreach (VectorWidth width in (VectorWidth[])[VectorWidth.Scalar, VectorWidth.Vector256, VectorWidth.Vector512])
        {
            foreach (bool transposedA in (bool[])[transposed, !transposed])
            {
                foreach (bool accumulate in (bool[])[false, true])
                {
                    Check(new Case(m, n, k, transposedA, accumulate, 0, 0, 0), width);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EverySmallShape_WithPaddedStrides_MatchesTheReference(VectorWidth width)
    {
        int[] depths = [0, 1, 2, 3, 7, 16, 17, 40];
        for (int m = 0; m <= 14; m++)
        {
            for (int n = 0; n <= 40; n++)
            {
                foreach (int k in depths)
                {
                    bool transposed = (m + n + k) % 2 == 0;
                    bool accumulate = (m + 2 * n + k) % 3 == 0;
                    Check(new Case(m, n, k, transposed, accumulate, (m + k) % 3, (n * 7) % 5, (n * 3 + m) % 4), width);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryRowCount_AtEveryColumnEdge_MatchesTheReference(VectorWidth width)
    {
        for (int m = 0; m <= 40; m++)
        {
            foreach (int n in (int[])[1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 49, 64, 65])
            {
                foreach (bool transposed in (bool[])[false, true])
                {
                    Check(new Case(m, n, 5 + m % 4, transposed, m % 2 == 1, m % 3, 2, 1), width);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryDepth_MatchesTheReference(VectorWidth width)
    {
        for (int k = 0; k <= 40; k++)
        {
            Check(new Case(7, 35, k, false, false, 1, 3, 2), width);
            Check(new Case(13, 18, k, true, true, 0, 0, 5), width);
        }
    }

    [Fact]
    public void PublicOverload_MatchesTheReference()
    {
        var shape = new Case(29, 45, 33, true, true, 3, 4, 5);
        Matrices data = Build(shape);
        Gemm.Multiply(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, data.C, data.Ldc, shape.Accumulate);
        AssertMatches(shape, data, "public overload");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ZeroDepth_ClearsC_OrLeavesItWhenAccumulating(VectorWidth width)
    {
        float[] c = [1, 2, 3, Sentinel, 4, 5, 6];
        Gemm.Multiply(2, 3, 0, [], 1, 1, [], 3, c, 4, accumulate: true, width);
        Assert.Equal([1, 2, 3, Sentinel, 4, 5, 6], c);
        Gemm.Multiply(2, 3, 0, [], 1, 1, [], 3, c, 4, accumulate: false, width);
        Assert.Equal([0, 0, 0, Sentinel, 0, 0, 0], c);
    }

    [Fact]
    public void NegativeSizesAndStrides_Throw()
    {
        float[] x = new float[64];
        Assert.Throws<ArgumentOutOfRangeException>("m", () => Gemm.Multiply(-1, 2, 2, x, 2, 1, x, 2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("n", () => Gemm.Multiply(2, -1, 2, x, 2, 1, x, 2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("k", () => Gemm.Multiply(2, 2, -1, x, 2, 1, x, 2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("aRowStride", () => Gemm.Multiply(2, 2, 2, x, -2, 1, x, 2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("aColStride", () => Gemm.Multiply(2, 2, 2, x, 2, -1, x, 2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("ldb", () => Gemm.Multiply(2, 2, 2, x, 2, 1, x, -2, x, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>("ldc", () => Gemm.Multiply(2, 2, 2, x, 2, 1, x, 2, x, -2, false));
        Assert.Throws<ArgumentOutOfRangeException>("ldc", () => Gemm.Multiply(2, 3, 2, x, 2, 1, x, 3, x, 2, false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpansOneElementShort_Throw_AndExactSpansDoNot(bool transposed)
    {
        var shape = new Case(9, 21, 11, transposed, false, 2, 3, 4);
        Matrices data = Build(shape);
        Assert.Throws<ArgumentException>("a", () => Gemm.Multiply(shape.M, shape.N, shape.K, data.A[..^1], data.ARowStride, data.AColStride, data.B, data.Ldb, data.C, data.Ldc, false));
        Assert.Throws<ArgumentException>("b", () => Gemm.Multiply(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B[..^1], data.Ldb, data.C, data.Ldc, false));
        Assert.Throws<ArgumentException>("c", () => Gemm.Multiply(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, data.C[..^1], data.Ldc, false));
        Gemm.Multiply(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, data.C, data.Ldc, false);
        AssertMatches(shape, data, "exact spans");
    }

    [Fact]
    public void HugeStrides_ThatOverflowInt_Throw()
    {
        float[] x = new float[16];
        Assert.Throws<ArgumentException>("a", () => Gemm.Multiply(3, 1, 3, x, int.MaxValue, int.MaxValue, x, 1, x, 1, false));
        Assert.Throws<ArgumentException>("b", () => Gemm.Multiply(1, 1, 3, x, 1, 1, x, int.MaxValue, x, 1, false));
        Assert.Throws<ArgumentException>("c", () => Gemm.Multiply(3, 1, 1, x, 1, 1, x, 1, x, int.MaxValue, false));
    }

    /// <summary>The epilogue's activations: none (bias only) and every kernel the engine has.</summary>
    private static readonly ActivationFunction?[] Epilogues = [null, .. ActivationFunctions.All];

    [Theory]
    [MemberData(nameof(NetworkShapes))]
    public void Epilogue_NetworkShapes_OnEveryPathAndActivation_MatchTheReference(int m, int n, int k, bool transposed)
    {
        foreach (VectorWidth width in (VectorWidth[])[VectorWidth.Scalar, VectorWidth.Vector256, VectorWidth.Vector512])
        {
            foreach (ActivationFunction? activation in Epilogues)
            {
                CheckEpilogue(new Case(m, n, k, transposed, false, 0, 0, 0), activation, width);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Epilogue_EverySmallShape_WithPaddedStrides_MatchesTheReference(VectorWidth width)
    {
        int[] depths = [0, 1, 2, 3, 7, 16, 17, 40];
        for (int m = 0; m <= 14; m++)
        {
            for (int n = 0; n <= 40; n++)
            {
                foreach (int k in depths)
                {
                    // Each activation meets every column edge and row count over the loop.
                    ActivationFunction? activation = Epilogues[(m + n + k) % Epilogues.Length];
                    CheckEpilogue(new Case(m, n, k, (m + n + k) % 2 == 0, false, (m + k) % 3, (n * 7) % 5, (n * 3 + m) % 4), activation, width);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Epilogue_EveryRowCount_AtEveryColumnEdge_MatchesTheReference(VectorWidth width)
    {
        for (int m = 0; m <= 40; m++)
        {
            foreach (int n in (int[])[1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 49, 64, 65])
            {
                foreach (bool transposed in (bool[])[false, true])
                {
                    CheckEpilogue(new Case(m, n, 5 + m % 4, transposed, false, m % 3, 2, 1), Epilogues[(m + n) % Epilogues.Length], width);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Epilogue_EveryDepth_MatchesTheReference(VectorWidth width)
    {
        for (int k = 0; k <= 40; k++)
        {
            CheckEpilogue(new Case(7, 35, k, false, false, 1, 3, 2), Epilogues[k % Epilogues.Length], width);
            CheckEpilogue(new Case(13, 18, k, true, false, 0, 0, 5), Epilogues[(k + 3) % Epilogues.Length], width);
        }
    }

    /// <summary>
    /// The epilogue is the unfused sequence — bias written into C, product accumulated onto it, activation
    /// over C — with nothing in between: at one vector width the two agree bit for bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Epilogue_IsBitForBit_TheBiasProductAndActivationPasses(VectorWidth width)
    {
        foreach ((int m, int n, int k) in (ReadOnlySpan<(int, int, int)>)[(784, 16, 25), (196, 32, 400), (576, 20, 25), (16, 128, 1568), (1, 128, 1568), (16, 10, 128), (23, 48, 9)])
        {
            foreach (ActivationFunction? activation in Epilogues)
            {
                Matrices data = Build(new Case(m, n, k, false, false, 0, 0, 0));
                float[] bias = Biases(n, m + n + k);
                float[] fused = new float[m * n];
                Gemm.MultiplyAddBias(m, n, k, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, bias, fused, n, activation, width);

                float[] separate = new float[m * n];
                MatrixOps.Broadcast(bias, m, separate);
                Gemm.Multiply(m, n, k, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, separate, n, accumulate: true, width);
                activation?.Forward(separate, separate, width);

                // The 256-bit product finishes the last n mod 8 columns in scalar code, the activation pass does not.
                bool sameWidth = width == VectorWidth.Scalar
                    || (width == VectorWidth.Vector256 && n % 8 == 0)
                    || (width == VectorWidth.Vector512 && System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated);
                if (sameWidth || !DiffersByWidth(activation))
                {
                    Assert.True(fused.AsSpan().SequenceEqual(separate), $"{m}×{n}×{k}, {activation?.Id ?? "bias only"}, {width}: the fused result differs from the separate passes");
                }
                else
                {
                    for (int i = 0; i < fused.Length; i++)
                    {
                        Assert.Equal(separate[i], fused[i], 1e-6f * Math.Max(1f, Math.Abs(separate[i])));
                    }
                }
            }
        }
    }

    [Fact]
    public void Epilogue_NoisyRelu_IsRelu()
    {
        Matrices data = Build(new Case(9, 37, 11, false, false, 0, 0, 0));
        float[] bias = Biases(37, 1);
        float[] noisy = new float[9 * 37];
        float[] relu = new float[9 * 37];
        Gemm.MultiplyAddBias(9, 37, 11, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, bias, noisy, 37, ActivationFunctions.NoisyRelu);
        Gemm.MultiplyAddBias(9, 37, 11, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, bias, relu, 37, ActivationFunctions.Relu);
        Assert.Equal(relu, noisy);
        Assert.Contains(relu, v => v == 0);
        Assert.Contains(relu, v => v > 0);
    }

    [Fact]
    public void Epilogue_RejectsAShortBias_AndChecksShapesAsTheProductDoes()
    {
        float[] x = new float[64];
        Assert.Throws<ArgumentException>("bias", () => Gemm.MultiplyAddBias(2, 3, 2, x, 2, 1, x, 3, new float[2], x, 3, ActivationFunctions.Relu));
        Assert.Throws<ArgumentOutOfRangeException>("m", () => Gemm.MultiplyAddBias(-1, 3, 2, x, 2, 1, x, 3, new float[3], x, 3, null));
        Assert.Throws<ArgumentException>("c", () => Gemm.MultiplyAddBias(4, 3, 2, x, 2, 1, x, 3, new float[3], x.AsSpan(0, 8), 3, null));
    }

    // The piecewise-linear kernels agree bit for bit at every width; the others' scalar code may differ from their vectors in the last bits.
    private static bool DiffersByWidth(ActivationFunction? activation) => activation?.Id is "elu" or "gelu_tanh" or "silu" or "softsign" or "relu_softsign" or "selu";

    private static float[] Biases(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }

    private static void CheckEpilogue(Case shape, ActivationFunction? activation, VectorWidth width)
    {
        Matrices data = Build(shape);
        // NaN past the n biases: a read beyond them would poison the result.
        float[] biasStorage = [.. Biases(shape.N, shape.M * 31 + shape.N), .. Filled(20, float.NaN)];
        ReadOnlySpan<float> bias = biasStorage.AsSpan(0, shape.N);
        string description = $"{shape}, {activation?.Id ?? "bias only"}, {width}";
        Gemm.MultiplyAddBias(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, bias, data.C, data.Ldc, activation, width);
        for (int i = 0; i < shape.M; i++)
        {
            for (int j = 0; j < shape.N; j++)
            {
                double sum = biasStorage[j];
                double magnitude = Math.Abs(biasStorage[j]);
                for (int p = 0; p < shape.K; p++)
                {
                    double product = (double)data.AStorage[i * data.ARowStride + p * data.AColStride] * data.BStorage[p * data.Ldb + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                // The activations' slopes are at most about 1.1 (GELU), so the sum's error passes through nearly
                // unchanged; the activation itself adds a few ULP.
                double expected = activation is null ? sum : activation.Invoke((float)sum);
                float actual = data.CStorage[i * data.Ldc + j];
                double error = Math.Abs(actual - expected);
                Assert.True(error <= 1.2 * RelativeTolerance * magnitude + 1e-6 * Math.Abs(expected) + 1e-30,
                    $"{description}: C[{i},{j}] = {actual}, expected {expected} (error {error:E2}, Σ|a||b| {magnitude:E2})");
            }
        }
        for (int index = 0; index < data.CStorage.Length; index++)
        {
            bool inShape = index < data.CLength && index % data.Ldc < shape.N;
            if (!inShape)
            {
                Assert.True(data.CStorage[index] == Sentinel, $"{description}: C storage [{index}] outside the shape was overwritten with {data.CStorage[index]}");
            }
        }
    }

    /// <param name="APad">Extra elements per row of A as stored (per column when transposed).</param>
    /// <param name="BPad">ldb − n.</param>
    /// <param name="CPad">ldc − n.</param>
    private sealed record Case(int M, int N, int K, bool TransposedA, bool Accumulate, int APad, int BPad, int CPad)
    {
        public override string ToString() =>
            $"m={M} n={N} k={K} A {(TransposedA ? "transposed" : "normal")}, pads {APad}/{BPad}/{CPad}, {(Accumulate ? "accumulate" : "overwrite")}";
    }

    private sealed class Matrices
    {
        public required float[] AStorage { get; init; }
        public required float[] BStorage { get; init; }
        public required float[] CStorage { get; init; }
        public required float[] CBefore { get; init; }
        public required int ALength { get; init; }
        public required int BLength { get; init; }
        public required int CLength { get; init; }
        public required int ARowStride { get; init; }
        public required int AColStride { get; init; }
        public required int Ldb { get; init; }
        public required int Ldc { get; init; }

        public ReadOnlySpan<float> A => AStorage.AsSpan(0, ALength);
        public ReadOnlySpan<float> B => BStorage.AsSpan(0, BLength);
        public Span<float> C => CStorage.AsSpan(0, CLength);
    }

    private static void Check(Case shape, VectorWidth width)
    {
        Matrices data = Build(shape);
        Gemm.Multiply(shape.M, shape.N, shape.K, data.A, data.ARowStride, data.AColStride, data.B, data.Ldb, data.C, data.Ldc, shape.Accumulate, width);
        AssertMatches(shape, data, $"{shape}, {width}");
    }

    private static Matrices Build(Case shape)
    {
        (int m, int n, int k) = (shape.M, shape.N, shape.K);
        int aRowStride = shape.TransposedA ? 1 : k + shape.APad;
        int aColStride = shape.TransposedA ? m + shape.APad : 1;
        int ldb = n + shape.BPad;
        int ldc = n + shape.CPad;
        int aLength = m == 0 || k == 0 ? 0 : (m - 1) * aRowStride + (k - 1) * aColStride + 1;
        int bLength = k == 0 || n == 0 ? 0 : (k - 1) * ldb + n;
        int cLength = m == 0 || n == 0 ? 0 : (m - 1) * ldc + n;
        var random = new Random(HashCode.Combine(m, n, k, shape.TransposedA, shape.APad, shape.BPad, shape.CPad));

        // NaN everywhere the shape does not reach, then the shape's elements.
        float[] a = Filled(aLength + 40, float.NaN);
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                a[i * aRowStride + p * aColStride] = NextValue(random);
            }
        }
        float[] b = Filled(bLength + 40, float.NaN);
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                b[p * ldb + j] = NextValue(random);
            }
        }
        float[] c = Filled(cLength + 40, Sentinel);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                c[i * ldc + j] = shape.Accumulate ? NextValue(random) : float.NaN;
            }
        }
        return new Matrices
        {
            AStorage = a, BStorage = b, CStorage = c, CBefore = (float[])c.Clone(),
            ALength = aLength, BLength = bLength, CLength = cLength,
            ARowStride = aRowStride, AColStride = aColStride, Ldb = ldb, Ldc = ldc,
        };
    }

    private static void AssertMatches(Case shape, Matrices data, string description)
    {
        for (int i = 0; i < shape.M; i++)
        {
            for (int j = 0; j < shape.N; j++)
            {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < shape.K; p++)
                {
                    double product = (double)data.AStorage[i * data.ARowStride + p * data.AColStride] * data.BStorage[p * data.Ldb + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                int index = i * data.Ldc + j;
                if (shape.Accumulate)
                {
                    sum += data.CBefore[index];
                    magnitude += Math.Abs(data.CBefore[index]);
                }
                float actual = data.CStorage[index];
                double error = Math.Abs(actual - sum);
                Assert.True(error <= RelativeTolerance * magnitude + 1e-30,
                    $"{description}: C[{i},{j}] = {actual}, expected {sum} (error {error:E2}, Σ|a||b| {magnitude:E2})");
            }
        }
        for (int index = 0; index < data.CStorage.Length; index++)
        {
            bool inShape = index < data.CLength && index % data.Ldc < shape.N;
            if (!inShape)
            {
                Assert.True(data.CStorage[index] == Sentinel, $"{description}: C storage [{index}] outside the shape was overwritten with {data.CStorage[index]}");
            }
        }
    }

    private static float[] Filled(int length, float value)
    {
        float[] array = new float[length];
        Array.Fill(array, value);
        return array;
    }

    private static float NextValue(Random random) => (float)(random.NextDouble() * 2 - 1);
}
