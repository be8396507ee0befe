using Engine.Activations;
using Engine.Data;
using Engine.Training;
using Tests.Engine.Data;

namespace Tests.Engine.Training;

public class ConvNetTrainerTests
{
    // data/mnist is ordered by class (all the 0s, then the 1s, …), and so is every part of the split, so a
    // subset takes every k-th digit rather than the first n: the first 1,000 training digits are all 0s.
    private static readonly Lazy<(PreparedDigits Training, PreparedDigits Validation, PreparedDigits Test)> Digits = new(() =>
    {
        DigitSplits splits = TestMnist.Load();
        return (Spread(splits.Training, 1000), Spread(splits.Validation, 300), Spread(splits.Test, 300));
    });

    [Fact]
    public void Train_SameSeed_GivesBitIdenticalNetworks_AnotherSeedADifferentOne()
    {
        // Noisy ReLU and shifts: every random draw of the trainer is exercised, on 4 parallel chunks.
        PreparedDigits training = Spread(TestMnist.Load().Training, 300);
        PreparedDigits validation = Spread(TestMnist.Load().Validation, 100);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, MaxShift = 2, Seed = 11 };

        TrainingResult first = ConvNetTrainer.Train(ActivationFunctions.NoisyRelu, training, validation, options);
        TrainingResult second = ConvNetTrainer.Train(ActivationFunctions.NoisyRelu, training, validation, options);
        TrainingResult other = ConvNetTrainer.Train(ActivationFunctions.NoisyRelu, training, validation, options with { Seed = 12 });

        foreach (var (a, b) in first.Network.Parameters.Tensors.Zip(second.Network.Parameters.Tensors))
        {
            Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(first.History.Select(h => (h.Loss, h.TrainingAccuracy, h.ValidationAccuracy)),
            second.History.Select(h => (h.Loss, h.TrainingAccuracy, h.ValidationAccuracy)));
        Assert.Equal(first.BestEpoch, second.BestEpoch);
        Assert.NotEqual(first.Network.Parameters.ConvWeight, other.Network.Parameters.ConvWeight);
        Assert.NotEqual(first.History[0].Loss, other.History[0].Loss);
    }

    [Fact]
    public void Train_OnAThousandDigits_LearnsToClassifyOthers()
    {
        var (training, validation, test) = Digits.Value;
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, MaxShift = 0, Seed = 1 };
        var reports = new List<TrainingProgress>();

        TrainingResult result = ConvNetTrainer.Train(ActivationFunctions.ReluSoftsign, training, validation, options, new SynchronousProgress(reports));

        Assert.Equal([1, 2, 3], result.History.Select(h => h.Epoch));
        Assert.True(result.History[^1].Loss < result.History[0].Loss, "training loss did not fall");
        // Chance is 10 %; this network reaches ~90 % here, so 80 % is far from both.
        Assert.True(result.ValidationAccuracy > 0.8, $"validation accuracy {result.ValidationAccuracy:P1}");
        // The returned weights are the best epoch's: evaluating them again gives that epoch's figure.
        Assert.Equal(result.ValidationAccuracy, ConvNetTrainer.Evaluate(result.Network, validation).Accuracy);
        Assert.Equal(result.History.Max(h => h.ValidationAccuracy), result.ValidationAccuracy);
        double testAccuracy = ConvNetTrainer.Evaluate(result.Network, test).Accuracy;
        Assert.True(testAccuracy > 0.8, $"test accuracy {testAccuracy:P1}");
        // One report per completed epoch carries the validation accuracy.
        Assert.Equal(result.History.Select(h => (double?)h.ValidationAccuracy), reports.Where(r => r.ValidationAccuracy is not null).Select(r => r.ValidationAccuracy));
    }

    [Fact]
    public void Train_RejectsNoEpochsOrBatchesSmallerThanTheChunks()
    {
        PreparedDigits few = Spread(TestMnist.Load().Validation, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvNetTrainer.Train(ActivationFunctions.Relu, few, few, new TrainingOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvNetTrainer.Train(ActivationFunctions.Relu, few, few, new TrainingOptions { BatchSize = 3 }));
    }

    [Fact]
    public void PreparedDigits_KeepLabelsAndScaleInkToTheUnitInterval()
    {
        PreparedDigits digits = Digits.Value.Validation;
        Assert.Equal(300, digits.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => TestMnist.Load().Validation.Labels[i * 1000 / 300]), digits.Labels);
        Assert.Equal(10, digits.Labels.Distinct().Count());
        Assert.Equal(300 * ConvNet.InputSize, digits.Images.Length);
        Assert.All(digits.Images, p => Assert.InRange(p, 0f, 1f));
        Assert.True(digits.Image(0).ToArray().Max() > 0.5f);
    }

    private static PreparedDigits Spread(DigitDataset dataset, int count) =>
        PreparedDigits.From(dataset.Subset([.. Enumerable.Range(0, count).Select(i => (int)((long)i * dataset.Count / count))]));

    // Progress<T> posts to the thread pool; the figures are wanted in order and before Train returns.
    private sealed class SynchronousProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
