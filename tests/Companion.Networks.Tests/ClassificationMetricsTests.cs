namespace Companion.Networks.Tests;

/// <summary>Confusion matrix, accuracy, recall and the majority baseline on a hand example.</summary>
public class ClassificationMetricsTests
{
    [Fact]
    public void Hand_example()
    {
        int[] truth = [0, 0, 0, 1, 2, 2], predicted = [0, 1, 0, 1, 0, 2];
        var c = ClassificationMetrics.Confusion(truth, predicted, 3);
        Assert.Equal(2, c[0, 0]);
        Assert.Equal(1, c[0, 1]);
        Assert.Equal(1, c[2, 0]);
        Assert.Equal(4.0 / 6, ClassificationMetrics.Accuracy(c), 12);
        Assert.Equal(new[] { 2.0 / 3, 1.0, 0.5 }, ClassificationMetrics.Recall(c));
        var (cls, acc) = ClassificationMetrics.MajorityBaseline([1, 1, 0], truth, 3);
        Assert.Equal(1, cls);
        Assert.Equal(1.0 / 6, acc, 12);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Confusion([0], [0, 1], 2));
    }
}
