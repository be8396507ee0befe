using Engine.Onnx;

namespace Tests.Engine.Onnx;

/// <summary>
/// A deliberately naive forward pass of the baseline CNN in double precision, written straight
/// from the layer definitions so it shares no code with the exporter it checks.
/// </summary>
internal static class ConvNetReference
{
    public static double Activate(string activationId, double x) => activationId switch
    {
        "relu" or "noisy_relu" => Math.Max(0, x),
        "leaky_relu" => x >= 0 ? x : 0.1 * x,
        "elu" => x >= 0 ? x : Math.Exp(x) - 1,
        "softsign" => x / (1 + Math.Abs(x)),
        "relu_softsign" => x >= 0 ? x : x / (1 + Math.Abs(x)),
        _ => throw new ArgumentOutOfRangeException(nameof(activationId), activationId, null),
    };

    /// <summary>Returns logits and probabilities, each [batch, 10] row-major, plus the share of negative conv outputs.</summary>
    public static (double[] Logits, double[] Probabilities, double NegativeShare) Forward(
        ConvNetWeights w, string activationId, float[] images, int batch)
    {
        const int image = 28, kernel = 5, filters = 20, conv = 24, pooled = 12, classes = 10;
        var logits = new double[batch * classes];
        var probabilities = new double[batch * classes];
        long negatives = 0;

        for (int n = 0; n < batch; n++)
        {
            var activated = new double[filters, conv, conv];
            for (int f = 0; f < filters; f++)
            {
                for (int y = 0; y < conv; y++)
                {
                    for (int x = 0; x < conv; x++)
                    {
                        double sum = w.ConvBias[f];
                        for (int ky = 0; ky < kernel; ky++)
                        {
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                sum += (double)w.ConvWeight[f * 25 + ky * 5 + kx]
                                    * images[n * image * image + (y + ky) * image + (x + kx)];
                            }
                        }

                        if (sum < 0)
                        {
                            negatives++;
                        }

                        activated[f, y, x] = Activate(activationId, sum);
                    }
                }
            }

            var features = new double[filters * pooled * pooled];
            for (int c = 0; c < filters; c++)
            {
                for (int y = 0; y < pooled; y++)
                {
                    for (int x = 0; x < pooled; x++)
                    {
                        double max = double.NegativeInfinity;
                        for (int dy = 0; dy < 2; dy++)
                        {
                            for (int dx = 0; dx < 2; dx++)
                            {
                                max = Math.Max(max, activated[c, 2 * y + dy, 2 * x + dx]);
                            }
                        }

                        features[c * 144 + y * 12 + x] = max;
                    }
                }
            }

            for (int k = 0; k < classes; k++)
            {
                double sum = w.DenseBias[k];
                for (int i = 0; i < features.Length; i++)
                {
                    sum += w.DenseWeight[k * features.Length + i] * features[i];
                }

                logits[n * classes + k] = sum;
            }

            double maxLogit = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                maxLogit = Math.Max(maxLogit, logits[n * classes + k]);
            }

            double total = 0;
            for (int k = 0; k < classes; k++)
            {
                total += Math.Exp(logits[n * classes + k] - maxLogit);
            }

            for (int k = 0; k < classes; k++)
            {
                probabilities[n * classes + k] = Math.Exp(logits[n * classes + k] - maxLogit) / total;
            }
        }

        return (logits, probabilities, (double)negatives / (batch * filters * conv * conv));
    }

    /// <summary>Seeded weights scaled so conv outputs take both signs and logits stay near unit size.</summary>
    public static ConvNetWeights RandomWeights(int seed)
    {
        var random = new Random(seed);
        return new ConvNetWeights(
            Uniform(random, 500, 0.4),
            Uniform(random, 20, 0.5),
            Uniform(random, 28800, 0.05),
            Uniform(random, 10, 0.5));
    }

    /// <summary>Seeded images with pixels in [0, 1), as the trainer feeds them.</summary>
    public static float[] RandomImages(int seed, int batch)
    {
        var random = new Random(seed);
        var pixels = new float[batch * 28 * 28];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle();
        }

        return pixels;
    }

    private static float[] Uniform(Random random, int length, double scale)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return values;
    }
}
