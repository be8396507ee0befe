using System.Diagnostics;
using Engine.Activations;

namespace Engine.Training;

/// <summary>
/// Trains <see cref="ConvNet"/> with Adam on mini-batches, using every core, and keeps the weights of the
/// epoch with the best validation accuracy. Runs are reproducible: each batch is cut into a fixed number
/// of chunks whose gradients are summed in a fixed order, and every random draw comes from the seed, so
/// the thread schedule cannot change the result.
/// </summary>
public static class ConvNetTrainer
{
    private const int ChunksPerBatch = 4;
    private const int ProgressReportsPerEpoch = 20;

    /// <summary>Trains a new network on <paramref name="training"/>, choosing the epoch on <paramref name="validation"/>.</summary>
    public static TrainingResult Train(
        ActivationFunction activation,
        PreparedDigits training,
        PreparedDigits validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, ChunksPerBatch);

        ConvNet network = ConvNet.Create(activation, options.Seed);
        var best = new ConvNetParameters();
        var optimizer = new AdamOptimizer();
        var workspaces = Enumerable.Range(0, ChunksPerBatch).Select(_ => new ConvNetWorkspace()).ToArray();
        var gradients = Enumerable.Range(0, ChunksPerBatch).Select(_ => new ConvNetParameters()).ToArray();
        var shifted = Enumerable.Range(0, ChunksPerBatch).Select(_ => new float[ConvNet.InputSize]).ToArray();
        var chunkLoss = new double[ChunksPerBatch];
        var chunkCorrect = new int[ChunksPerBatch];
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
                    ConvNetWorkspace workspace = workspaces[chunk];
                    ConvNetParameters gradient = gradients[chunk];
                    gradient.Clear();
                    chunkLoss[chunk] = 0;
                    chunkCorrect[chunk] = 0;
                    var noise = new Random(Seeds.Derive(options.Seed, epochIndex, batchIndex, chunk));
                    for (int i = start + chunk; i < start + count; i += ChunksPerBatch)
                    {
                        int image = order[i];
                        ReadOnlySpan<float> input = options.MaxShift == 0
                            ? training.Image(image)
                            : Shift(training.Image(image), shifted[chunk], noise.Next(-options.MaxShift, options.MaxShift + 1), noise.Next(-options.MaxShift, options.MaxShift + 1));
                        network.Forward(input, workspace, noise);
                        int label = training.Labels[image];
                        chunkCorrect[chunk] += PredictedClass(workspace) == label ? 1 : 0;
                        chunkLoss[chunk] += network.Backward(label, workspace, gradient);
                    }
                });

                for (int chunk = 1; chunk < ChunksPerBatch; chunk++)
                {
                    gradients[0].Add(gradients[chunk]);
                }
                Scale(gradients[0], 1f / count);
                optimizer.Step(network.Parameters, gradients[0], learningRate, options.WeightDecay);

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
            if (history.MaxBy(h => h.ValidationAccuracy) == history[^1])
            {
                best.CopyFrom(network.Parameters);
            }
            progress?.Report(new TrainingProgress(epoch, options.Epochs, 1, lossSum / seen, (double)correct / seen,
                validationAccuracy, clock.Elapsed, Remaining(clock.Elapsed, (double)epoch / options.Epochs)));
        }

        network.Parameters.CopyFrom(best);
        int bestEpoch = history.MaxBy(h => h.ValidationAccuracy)!.Epoch;
        return new TrainingResult(network, history, bestEpoch, clock.Elapsed);
    }

    /// <summary>Classifies every image of <paramref name="digits"/> with <paramref name="network"/>, using every core.</summary>
    public static Evaluation Evaluate(ConvNet network, PreparedDigits digits)
    {
        var predictions = new int[digits.Count];
        Parallel.For(0, Environment.ProcessorCount, () => new ConvNetWorkspace(), (worker, _, workspace) =>
        {
            for (int i = worker; i < digits.Count; i += Environment.ProcessorCount)
            {
                predictions[i] = network.Predict(digits.Image(i), workspace);
            }
            return workspace;
        }, _ => { });
        return new Evaluation(predictions, digits.Labels);
    }

    // A cosine from the initial rate down to a twentieth of it over the epochs.
    private static float LearningRate(TrainingOptions options, int epoch)
    {
        double position = options.Epochs == 1 ? 0 : (epoch - 1.0) / (options.Epochs - 1);
        double floor = options.LearningRate / 20.0;
        return (float)(floor + (options.LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * position)));
    }

    // The image moved right by dx and down by dy, with zeros (background) shifted in.
    private static float[] Shift(ReadOnlySpan<float> image, float[] destination, int dx, int dy)
    {
        Array.Clear(destination);
        int side = ConvNet.InputSide;
        int width = side - Math.Abs(dx);
        for (int y = Math.Max(0, dy); y < Math.Min(side, side + dy); y++)
        {
            image.Slice((y - dy) * side + Math.Max(0, -dx), width).CopyTo(destination.AsSpan(y * side + Math.Max(0, dx), width));
        }
        return destination;
    }

    private static int PredictedClass(ConvNetWorkspace workspace) =>
        System.Numerics.Tensors.TensorPrimitives.IndexOfMax(workspace.Probabilities);

    private static void Scale(ConvNetParameters parameters, float factor)
    {
        foreach (float[] tensor in parameters.Tensors)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(tensor, factor, tensor);
        }
    }

    private static TimeSpan Remaining(TimeSpan elapsed, double fractionDone) =>
        fractionDone <= 0 ? TimeSpan.Zero : elapsed * ((1 - fractionDone) / fractionDone);
}
