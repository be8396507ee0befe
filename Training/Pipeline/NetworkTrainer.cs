using System.Diagnostics;
using System.Numerics.Tensors;
using Engine.Activations;
using Engine.Networks;

namespace Training.Pipeline;

/// <summary>
/// Trains a <see cref="Network"/> with Adam on mini-batches, using every core, and keeps the weights of the
/// epoch with the best validation accuracy (stopping early if it stops improving). Runs are reproducible:
/// each batch is cut into a fixed number of chunks whose gradients are summed in a fixed order, and every
/// random draw comes from the seed, so the thread schedule cannot change the result.
/// </summary>
public static class NetworkTrainer
{
    private const int ChunksPerBatch = 4;
    private const int ProgressReportsPerEpoch = 20;

    /// <summary>
    /// Trains a new network on <paramref name="training"/>, choosing the epoch on <paramref name="validation"/>.
    /// <paramref name="checkpoint"/>, if given, sees the network freshly initialised (epoch 0) and after every
    /// epoch; its time is not counted as training time.
    /// </summary>
    public static TrainingResult Train(
        NetworkArchitecture architecture,
        ActivationFunction activation,
        PreparedDigits training,
        PreparedDigits validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        Action<int, Network>? checkpoint = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, ChunksPerBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(training.Count, 1);

        Network network = Network.Create(architecture, activation, options.Seed);
        checkpoint?.Invoke(0, network);

        int chunkSize = (options.BatchSize + ChunksPerBatch - 1) / ChunksPerBatch;
        int inputSize = network.InputSize;
        var optimizer = new AdamOptimizer(network);
        var augmenter = new Augmenter(options, NetworkArchitecture.ImageSide);
        var workspaces = Enumerable.Range(0, ChunksPerBatch).Select(_ => network.CreateWorkspace(chunkSize)).ToArray();
        var gradients = Enumerable.Range(0, ChunksPerBatch).Select(_ => new float[network.Parameters.Length]).ToArray();
        var inputs = Enumerable.Range(0, ChunksPerBatch).Select(_ => new float[chunkSize * inputSize]).ToArray();
        var labels = Enumerable.Range(0, ChunksPerBatch).Select(_ => new byte[chunkSize]).ToArray();
        var chunkLoss = new double[ChunksPerBatch];
        var chunkCorrect = new int[ChunksPerBatch];
        float[] best = network.Parameters.ToArray();
        var history = new List<EpochResult>();
        int[] order = Enumerable.Range(0, training.Count).ToArray();
        int batches = (training.Count + options.BatchSize - 1) / options.BatchSize;
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            new Random(Seeds.Derive(options.Seed, epoch)).Shuffle(order);
            float learningRate = LearningRate(options, epoch);
            double lossSum = 0;
            int correct = 0;
            int seen = 0;

            for (int batch = 0; batch < batches; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = batch * options.BatchSize;
                int count = Math.Min(options.BatchSize, training.Count - start);
                int epochIndex = epoch;
                int batchIndex = batch;

                Parallel.For(0, ChunksPerBatch, chunk =>
                {
                    // Chunk c takes images c, c + 4, c + 8, … of the batch.
                    Span<float> gradient = gradients[chunk];
                    gradient.Clear();
                    chunkLoss[chunk] = 0;
                    chunkCorrect[chunk] = 0;
                    var random = new Random(Seeds.Derive(options.Seed, epochIndex, batchIndex, chunk));
                    int n = 0;
                    for (int i = start + chunk; i < start + count; i += ChunksPerBatch, n++)
                    {
                        int image = order[i];
                        Span<float> input = inputs[chunk].AsSpan(n * inputSize, inputSize);
                        if (augmenter.IsActive)
                        {
                            augmenter.Apply(training.Image(image), input, random);
                        }
                        else
                        {
                            training.Image(image).CopyTo(input);
                        }
                        labels[chunk][n] = training.Labels[image];
                    }
                    if (n == 0)
                    {
                        return;
                    }
                    network.Forward(inputs[chunk], n, workspaces[chunk], random);
                    (chunkLoss[chunk], chunkCorrect[chunk]) = network.Backward(labels[chunk], n, workspaces[chunk], gradient);
                });

                for (int chunk = 1; chunk < ChunksPerBatch; chunk++)
                {
                    TensorPrimitives.Add(gradients[0], gradients[chunk], gradients[0]);
                }
                TensorPrimitives.Multiply(gradients[0], 1f / count, gradients[0]);
                optimizer.Step(gradients[0], learningRate, options.WeightDecay);

                lossSum += chunkLoss.Sum();
                correct += chunkCorrect.Sum();
                seen += count;
                if (progress is not null && (batch + 1) % Math.Max(1, batches / ProgressReportsPerEpoch) == 0 && batch + 1 < batches)
                {
                    double done = (epoch - 1 + (batch + 1.0) / batches) / options.Epochs;
                    progress.Report(new TrainingProgress(epoch, options.Epochs, (batch + 1.0) / batches, lossSum / seen, (double)correct / seen,
                        null, clock.Elapsed, Remaining(clock.Elapsed, done)));
                }
            }

            double validationAccuracy = Evaluate(network, validation).Accuracy;
            history.Add(new EpochResult(epoch, lossSum / seen, (double)correct / seen, validationAccuracy, epochClock.Elapsed.TotalSeconds));
            EpochResult bestSoFar = history.MaxBy(h => h.ValidationAccuracy)!;
            if (bestSoFar == history[^1])
            {
                network.Parameters.CopyTo(best, 0);
            }
            progress?.Report(new TrainingProgress(epoch, options.Epochs, 1, lossSum / seen, (double)correct / seen,
                validationAccuracy, clock.Elapsed, Remaining(clock.Elapsed, (double)epoch / options.Epochs)));

            clock.Stop();
            checkpoint?.Invoke(epoch, network);
            clock.Start();
            if (options.Patience > 0 && epoch - bestSoFar.Epoch >= options.Patience)
            {
                break;
            }
        }

        best.CopyTo(network.Parameters, 0);
        int bestEpoch = history.MaxBy(h => h.ValidationAccuracy)!.Epoch;
        return new TrainingResult(network, history, bestEpoch, clock.Elapsed);
    }

    /// <summary>Classifies every image of <paramref name="digits"/> with <paramref name="network"/>, using every core.</summary>
    public static Evaluation Evaluate(Network network, PreparedDigits digits)
    {
        var probabilities = new float[digits.Count * network.Classes];
        network.Classify(digits.Images, probabilities);
        int[] predictions = Enumerable.Range(0, digits.Count)
            .Select(i => TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * network.Classes, network.Classes)))
            .ToArray();
        return new Evaluation(predictions, digits.Labels);
    }

    // A cosine from the initial rate down to a twentieth of it over the epochs.
    private static float LearningRate(TrainingOptions options, int epoch)
    {
        double position = options.Epochs == 1 ? 0 : (epoch - 1.0) / (options.Epochs - 1);
        double floor = options.LearningRate / 20.0;
        return (float)(floor + (options.LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * position)));
    }

    private static TimeSpan Remaining(TimeSpan elapsed, double fractionDone) =>
        fractionDone <= 0 ? TimeSpan.Zero : elapsed * ((1 - fractionDone) / fractionDone);
}
