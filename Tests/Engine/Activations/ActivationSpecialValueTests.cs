using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>NaN, infinities, signed zeros and denormals, through the scalar reference and every kernel width.</summary>
public class ActivationSpecialValueTests
{
    // Long enough for every width's main loop, with the special value placed in the first vector, in the
    // middle, and in the overlapping last vector.
    private const int Length = 67;
    private static readonly int[] Positions = [0, 1, 17, 33, 60, 66];

    public static TheoryData<string, VectorWidth, float, float> Limits()
    {
        var data = new TheoryData<string, VectorWidth, float, float>();
        (string Id, float AtPlusInfinity, float AtMinusInfinity)[] limits =
        [
            ("relu", float.PositiveInfinity, 0f),
            ("noisy_relu", float.PositiveInfinity, 0f),
            ("leaky_relu", float.PositiveInfinity, float.NegativeInfinity),
            ("elu", float.PositiveInfinity, -1f),
            ("softsign", 1f, -1f),
            ("relu_softsign", float.PositiveInfinity, -1f),
            ("gelu_tanh", float.PositiveInfinity, 0f),
            ("silu", float.PositiveInfinity, 0f),
            ("prelu", float.PositiveInfinity, float.NegativeInfinity),
            // −λα: λα·(eˣ − 1) with eˣ − 1 = −1.
            ("selu", float.PositiveInfinity, -1.7580993f),
        ];
        foreach (var (id, plus, minus) in limits)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width, float.PositiveInfinity, plus);
                data.Add(id, width, float.NegativeInfinity, minus);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void Infinity_GivesTheMathematicalLimit(string id, VectorWidth width, float input, float expected)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(activation.Invoke(input)));
        float[] y = ForwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[position]));
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void NaN_Propagates(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        Assert.True(float.IsNaN(activation.Invoke(float.NaN)));
        float[] y = ForwardWithSpecial(activation, width, float.NaN);
        foreach (int position in Positions)
        {
            Assert.True(float.IsNaN(y[position]), $"{id} {width}: element {position} is {y[position]}");
        }
        // The neighbours are untouched by the NaN.
        Assert.InRange(UlpDistance(activation.Invoke(Filler(2)), y[2]), 0, width == VectorWidth.Scalar ? 0 : MaxForwardUlp(activation));
    }

    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void Relu_OfNegativeZero_IsNegativeZero(VectorWidth width)
    {
        // Documented on ReluOperator: only values that compare below zero are zeroed, so −0 passes through
        // unchanged (as in max(0, x) implemented by a comparison) and every width agrees bit for bit.
        foreach (ActivationFunction relu in new[] { ActivationFunctions.Relu, ActivationFunctions.NoisyRelu })
        {
            Assert.True(float.IsNegative(relu.Invoke(-0f)));
            float[] y = ForwardWithSpecial(relu, width, -0f);
            foreach (int position in Positions)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[position]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void PositiveZero_GivesPositiveZero(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        float[] y = ForwardWithSpecial(activation, width, 0f);
        foreach (int position in Positions)
        {
            Assert.Equal(0, BitConverter.SingleToInt32Bits(y[position]));
        }
    }

    public static TheoryData<string, VectorWidth, float> DerivativesAtZero()
    {
        var data = new TheoryData<string, VectorWidth, float>();
        (string Id, float Value)[] derivatives =
            [("relu", 0f), ("noisy_relu", 0f), ("leaky_relu", 0.1f), ("elu", 1f), ("softsign", 1f), ("relu_softsign", 1f), ("gelu_tanh", 0.5f), ("silu", 0.5f),
             // PReLU's and SELU's value at 0 is their left one: the slope a = 0.25 and λα = f(0) + λα.
             ("prelu", 0.25f), ("selu", 1.7580993f)];
        foreach (var (id, value) in derivatives)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width, value);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DerivativesAtZero))]
    public void Derivative_AtExactlyZero_IsTheDocumentedValue(string id, VectorWidth width, float expected)
    {
        ActivationFunction activation = Kernel(id);
        foreach (float zero in new[] { 0f, -0f })
        {
            Assert.Equal(expected, activation.Derivative(zero));
            float[] dx = BackwardWithSpecial(activation, width, zero);
            foreach (int position in Positions)
            {
                Assert.Equal(expected, dx[position]);
            }
        }
    }

    public static TheoryData<string, VectorWidth, float, float> Denormals()
    {
        var data = new TheoryData<string, VectorWidth, float, float>();
        const float Negative = -1e-40f;
        const float Positive = 1e-40f;
        // A product of two floats is exact in double, so one rounding to float is the correctly rounded result.
        static float Times(float x, float factor) => (float)((double)x * factor);
        (string Id, float OfNegative, float OfPositive, float OfMinusEpsilon)[] expectations =
        [
            ("relu", 0f, Positive, 0f),
            ("noisy_relu", 0f, Positive, 0f),
            // −ε/2 and −ε/4 round to −0 (a tie goes to the even −0).
            ("leaky_relu", Times(Negative, 0.1f), Positive, -0f),
            ("elu", Negative, Positive, -float.Epsilon),
            ("softsign", Negative, Positive, -float.Epsilon),
            ("relu_softsign", Negative, Positive, -float.Epsilon),
            // x·σ(…) with σ = ½ to float precision this close to 0: x / 2, correctly rounded (exact in double).
            ("gelu_tanh", (float)(Negative / 2.0), (float)(Positive / 2.0), -0f),
            ("silu", (float)(Negative / 2.0), (float)(Positive / 2.0), -0f),
            ("prelu", Times(Negative, 0.25f), Positive, -0f),
            // eˣ − 1 = x this close to 0, then one product with λα or λ: −1.758ε rounds to −2ε.
            ("selu", Times(Negative, 1.7580993f), Times(Positive, 1.05070102f), Times(-float.Epsilon, 1.7580993f)),
        ];
        foreach (var (id, ofNegative, ofPositive, ofMinusEpsilon) in expectations)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width, Negative, ofNegative);
                data.Add(id, width, Positive, ofPositive);
                data.Add(id, width, -float.Epsilon, ofMinusEpsilon);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Denormals))]
    public void Denormal_GivesTheExactResult(string id, VectorWidth width, float input, float expected)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(activation.Invoke(input)));
        float[] y = ForwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[position]));
        }
    }

    public static TheoryData<string, VectorWidth, float, float> DenormalDerivatives()
    {
        var data = new TheoryData<string, VectorWidth, float, float>();
        foreach (ActivationFunction kernel in ActivationFunctions.All)
        {
            string id = kernel.Id;
            foreach (VectorWidth width in Widths)
            {
                foreach (float input in new[] { -1e-40f, 1e-40f, -float.Epsilon, float.Epsilon })
                {
                    // Next to 0 every derivative is its one-sided value at 0 to float precision.
                    float expected = (id, input > 0) switch
                    {
                        ("relu" or "noisy_relu", false) => 0f,
                        ("leaky_relu", false) => 0.1f,
                        ("prelu", false) => 0.25f,
                        ("selu", false) => 1.7580993f,
                        ("selu", true) => 1.05070102f,
                        ("gelu_tanh" or "silu", _) => 0.5f,
                        _ => 1f,
                    };
                    data.Add(id, width, input, expected);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DenormalDerivatives))]
    public void Denormal_GivesTheExactDerivative(string id, VectorWidth width, float input, float expected)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal(expected, activation.Derivative(input));
        float[] dx = BackwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(expected, dx[position]);
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void Elu_DerivativeAtZeroAndDenormals_IsExactlyOne(VectorWidth width)
    {
        // Formerly a bug (the vector derivative took Vector.Exp(0) = 1.0000001): read from the output, f' = y + 1
        // with y = ±0 or a denormal is exactly 1.
        foreach (float input in new[] { 0f, -0f, -1e-40f, 1e-40f, -float.Epsilon })
        {
            float[] dx = BackwardWithSpecial(ActivationFunctions.Elu, width, input);
            foreach (int position in Positions)
            {
                Assert.True(dx[position] == 1f, $"ELU'({input:R}) at {width} is {dx[position]:R}, expected 1");
            }
        }
    }

    public static TheoryData<string, VectorWidth, float, float> DerivativeLimits()
    {
        var data = new TheoryData<string, VectorWidth, float, float>();
        (string Id, float AtPlusInfinity, float AtMinusInfinity)[] limits =
        [
            ("relu", 1f, 0f),
            ("noisy_relu", 1f, 0f),
            ("leaky_relu", 1f, 0.1f),
            ("elu", 1f, 0f),
            ("softsign", 0f, 0f),
            ("relu_softsign", 1f, 0f),
            ("gelu_tanh", 1f, 0f),
            ("silu", 1f, 0f),
            ("prelu", 1f, 0.25f),
            ("selu", 1.05070102f, 0f),
        ];
        foreach (var (id, plus, minus) in limits)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width, float.PositiveInfinity, plus);
                data.Add(id, width, float.NegativeInfinity, minus);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DerivativeLimits))]
    public void Derivative_AtInfinity_IsTheLimit_NotNaN(string id, VectorWidth width, float input, float expected)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal(expected, activation.Derivative(input));
        float[] dx = BackwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(expected, dx[position]);
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void GeluAndSilu_DerivativeOfNaN_IsNaN(VectorWidth width)
    {
        foreach (ActivationFunction activation in new[] { ActivationFunctions.GeluTanh, ActivationFunctions.Silu })
        {
            Assert.True(float.IsNaN(activation.Derivative(float.NaN)));
            float[] dx = BackwardWithSpecial(activation, width, float.NaN);
            foreach (int position in Positions)
            {
                Assert.True(float.IsNaN(dx[position]), $"{activation.Id}'(NaN) at {width}, element {position}, is {dx[position]:R}");
            }
            Assert.Equal(activation.Derivative(Filler(2)), dx[2], 5e-7f);
        }
    }

    private static float Filler(int i) => (i % 7 - 3) * 0.37f;

    private static float[] ForwardWithSpecial(ActivationFunction activation, VectorWidth width, float special)
    {
        float[] x = Enumerable.Range(0, Length).Select(Filler).ToArray();
        foreach (int position in Positions)
        {
            x[position] = special;
        }
        float[] y = new float[Length];
        activation.Forward(x, y, width);
        float[] inPlace = (float[])x.Clone();
        activation.Forward(inPlace, inPlace, width);
        Assert.Equal(y.Select(BitConverter.SingleToInt32Bits), inPlace.Select(BitConverter.SingleToInt32Bits));
        return y;
    }

    // dx for dy = 1, so dx is f'(x) itself; the backward pass is fed x or f(x) as GradientSource says.
    private static float[] BackwardWithSpecial(ActivationFunction activation, VectorWidth width, float special)
    {
        float[] x = Enumerable.Range(0, Length).Select(Filler).ToArray();
        foreach (int position in Positions)
        {
            x[position] = special;
        }
        float[] dy = Enumerable.Repeat(1f, Length).ToArray();
        float[] dx = new float[Length];
        activation.Backward(ForwardValues(activation, x), dy, dx, width);
        return dx;
    }
}
