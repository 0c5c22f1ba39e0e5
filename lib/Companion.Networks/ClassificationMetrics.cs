namespace Companion.Networks;

/// <summary>Confusion matrix, accuracy and per-class recall of a classifier, and the majority-class baseline.</summary>
public static class ClassificationMetrics
{
    /// <summary>C[i, j] = number of examples of true class i predicted as j.</summary>
    public static int[,] Confusion(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count) throw new ArgumentException($"{truth.Count} labels but {predicted.Count} predictions");
        var c = new int[classes, classes];
        for (int i = 0; i < truth.Count; i++) c[truth[i], predicted[i]]++;
        return c;
    }

    /// <summary>Accuracy: trace(C) / ΣC.</summary>
    public static double Accuracy(int[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        long diag = 0, total = 0;
        for (int i = 0; i < confusion.GetLength(0); i++)
            for (int j = 0; j < confusion.GetLength(1); j++) { total += confusion[i, j]; if (i == j) diag += confusion[i, j]; }
        return total == 0 ? double.NaN : (double)diag / total;
    }

    /// <summary>Recall of class i: C[i, i] / Σ_j C[i, j] (NaN for a class with no examples).</summary>
    public static double[] Recall(int[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int n = confusion.GetLength(0);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            long row = 0;
            for (int j = 0; j < n; j++) row += confusion[i, j];
            r[i] = row == 0 ? double.NaN : (double)confusion[i, i] / row;
        }
        return r;
    }

    /// <summary>The majority-class baseline: always predict the most frequent training class; its index and test accuracy.</summary>
    public static (int Class, double Accuracy) MajorityBaseline(IReadOnlyList<int> trainLabels, IReadOnlyList<int> testLabels, int classes)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        var counts = new int[classes];
        foreach (var y in trainLabels) counts[y]++;
        int majority = Array.IndexOf(counts, counts.Max());
        return (majority, testLabels.Count == 0 ? double.NaN : testLabels.Count(y => y == majority) / (double)testLabels.Count);
    }
}
