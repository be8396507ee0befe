using Training.Pipeline;

namespace Tests.Training.Pipeline;

public class EvaluationTests
{
    [Fact]
    public void Accuracy_AndPerClassAccuracy_OfAHandMadeExample()
    {
        byte[] labels = [0, 0, 1, 1, 1, 2, 3, 3, 9, 9];
        int[] predictions = [0, 1, 1, 1, 2, 2, 3, 0, 9, 9];

        var evaluation = new Evaluation(predictions, labels);

        Assert.Equal(0.7, evaluation.Accuracy, 12);
        double[] expected = [1 / 2.0, 2 / 3.0, 1, 1 / 2.0, 0, 0, 0, 0, 0, 1];
        Assert.Equal(10, evaluation.PerClassAccuracy.Count);
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(expected[c], evaluation.PerClassAccuracy[c], 12);
        }
    }

    [Fact]
    public void AllCorrect_IsOne_AllWrong_IsZero()
    {
        byte[] labels = [5, 6, 7];
        Assert.Equal(1.0, new Evaluation([5, 6, 7], labels).Accuracy);
        Assert.Equal(0.0, new Evaluation([6, 7, 5], labels).Accuracy);
        Assert.Equal(1.0, new Evaluation([5, 6, 7], labels).PerClassAccuracy[6]);
        Assert.Equal(0.0, new Evaluation([6, 7, 5], labels).PerClassAccuracy[6]);
    }
}
