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
        ActivationFunction activation = ActivationFunctions.Get(id);
        Assert.Equal(expected, activation.Invoke(input));
        float[] y = ForwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(expected, y[position]);
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void NaN_Propagates(string id, VectorWidth width)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        Assert.True(float.IsNaN(activation.Invoke(float.NaN)));
        float[] y = ForwardWithSpecial(activation, width, float.NaN);
        foreach (int position in Positions)
        {
            Assert.True(float.IsNaN(y[position]), $"{id} {width}: element {position} is {y[position]}");
        }
        // The neighbours are untouched by the NaN.
        Assert.Equal(activation.Invoke(Filler(2)), y[2]);
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
        ActivationFunction activation = ActivationFunctions.Get(id);
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
            [("relu", 0f), ("noisy_relu", 0f), ("leaky_relu", 0.1f), ("elu", 1f), ("softsign", 1f), ("relu_softsign", 1f)];
        foreach (var (id, value) in derivatives)
        {
            foreach (VectorWidth width in Widths.Where(w => !IsEluVectorDerivative(id, w)))
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
        ActivationFunction activation = ActivationFunctions.Get(id);
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
        // Leaky ReLU's product of two floats is exact in double, so one rounding to float is the correctly rounded result.
        float leaky = (float)((double)Negative * 0.1f);
        (string Id, float OfNegative, float OfPositive)[] expectations =
        [
            ("relu", 0f, Positive),
            ("noisy_relu", 0f, Positive),
            ("leaky_relu", leaky, Positive),
            ("elu", Negative, Positive),
            ("softsign", Negative, Positive),
            ("relu_softsign", Negative, Positive),
        ];
        foreach (var (id, ofNegative, ofPositive) in expectations)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width, Negative, ofNegative);
                data.Add(id, width, Positive, ofPositive);
                data.Add(id, width, -float.Epsilon, id == "leaky_relu" ? -0f : id is "relu" or "noisy_relu" ? 0f : -float.Epsilon);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Denormals))]
    public void Denormal_GivesTheExactResult(string id, VectorWidth width, float input, float expected)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
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
        foreach (string id in ActivationFunctions.Ids)
        {
            foreach (VectorWidth width in Widths.Where(w => !IsEluVectorDerivative(id, w)))
            {
                foreach (float input in new[] { -1e-40f, 1e-40f, -float.Epsilon, float.Epsilon })
                {
                    // Next to 0 every derivative is its one-sided value at 0 to float precision.
                    float expected = (id, input > 0) switch
                    {
                        ("relu" or "noisy_relu", false) => 0f,
                        ("leaky_relu", false) => 0.1f,
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
        ActivationFunction activation = ActivationFunctions.Get(id);
        Assert.Equal(expected, activation.Derivative(input));
        float[] dx = BackwardWithSpecial(activation, width, input);
        foreach (int position in Positions)
        {
            Assert.Equal(expected, dx[position]);
        }
    }

    [Fact(Skip = "bug: EluOperator's vector Derivative (Engine/Activations/EluOperator.cs, lines 38-40) uses Vector128/256/512.Exp, " +
        "which returns 1.0000001f (0x3F800001), not 1, for x = ±0 and denormal x, so ELU's Backward gives dx = 1.0000001·dy at every " +
        "vector width where the scalar reference and the documented f'(0) = α·e⁰ = 1 give dy.")]
    public void Elu_DerivativeAtZeroAndDenormals_IsExactlyOne_AtEveryVectorWidth()
    {
        foreach (VectorWidth width in Widths.Where(w => w != VectorWidth.Scalar))
        {
            foreach (float input in new[] { 0f, -0f, -1e-40f, 1e-40f, -float.Epsilon })
            {
                float[] dx = BackwardWithSpecial(ActivationFunctions.Elu, width, input);
                foreach (int position in Positions)
                {
                    Assert.True(dx[position] == 1f, $"ELU'({input:R}) at {width} is {dx[position]:R}, expected 1");
                }
            }
        }
    }

    // ELU's vector derivative at and next to 0 is the skipped bug above; the rest of the tests keep it out.
    private static bool IsEluVectorDerivative(string id, VectorWidth width) => id == "elu" && width != VectorWidth.Scalar;

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

    // dx for dy = 1, so dx is f'(x) itself.
    private static float[] BackwardWithSpecial(ActivationFunction activation, VectorWidth width, float special)
    {
        float[] x = Enumerable.Range(0, Length).Select(Filler).ToArray();
        foreach (int position in Positions)
        {
            x[position] = special;
        }
        float[] dy = Enumerable.Repeat(1f, Length).ToArray();
        float[] dx = new float[Length];
        activation.Backward(x, dy, dx, width);
        return dx;
    }
}
