namespace Companion.Clustering;

/// <summary>
/// Agreement of a clustering with the true labels, as EECS 182 HW7 Q5 (seed 003) scores its methods: the adjusted Rand
/// index (Hubert &amp; Arabie 1985; sklearn's <c>adjusted_rand_score</c>) and the accuracy under the best matching of
/// cluster ids to classes (cluster ids are arbitrary).
/// </summary>
public static class ClusterAgreement
{
    /// <summary>
    /// ARI = (Σ_ij C(n_ij,2) − a·b / C(n,2)) / (½(a + b) − a·b / C(n,2)), a = Σ_i C(row_i,2), b = Σ_j C(col_j,2), over
    /// the contingency table n_ij. 1 for identical partitions (up to renaming), ≈ 0 in expectation for random ones.
    /// </summary>
    public static double AdjustedRandIndex(int[] truth, int[] predicted)
    {
        var table = Contingency(truth, predicted);
        double n = truth.Length;
        static double C2(double v) => v * (v - 1) / 2;
        double sumIj = 0, a = 0, b = 0;
        int rows = table.GetLength(0), cols = table.GetLength(1);
        for (int i = 0; i < rows; i++)
        {
            double row = 0;
            for (int j = 0; j < cols; j++)
            {
                sumIj += C2(table[i, j]);
                row += table[i, j];
            }
            a += C2(row);
        }
        for (int j = 0; j < cols; j++)
        {
            double col = 0;
            for (int i = 0; i < rows; i++)
            {
                col += table[i, j];
            }
            b += C2(col);
        }
        double expected = a * b / C2(n), max = (a + b) / 2;
        // Both partitions trivial (one cluster each, or all singletons): sklearn returns 1.
        return max == expected ? 1.0 : (sumIj - expected) / (max - expected);
    }

    /// <summary>Fraction of points whose cluster, renamed by the best one-to-one map from clusters to classes, equals
    /// the class (maximum over all maps; exhaustive, so for at most 8 clusters).</summary>
    public static double Accuracy(int[] truth, int[] predicted)
    {
        var renamed = MatchToClasses(truth, predicted);
        return renamed.Where((c, i) => c == truth[i]).Count() / (double)truth.Length;
    }

    /// <summary>
    /// The predicted labels renamed by the one-to-one map from clusters to classes that maximises the number of points
    /// whose renamed cluster equals their class (exhaustive over all maps, at most 8 clusters/classes). A cluster left
    /// without a class (more clusters than classes) gets a new id ≥ the number of classes. Cluster ids are arbitrary;
    /// after the renaming, "cluster c" and "class c" mean the same group wherever the clustering agrees with the truth,
    /// so charts can colour both alike.
    /// </summary>
    public static int[] MatchToClasses(int[] truth, int[] predicted)
    {
        var table = Contingency(truth, predicted);
        int classes = table.GetLength(0), clusters = table.GetLength(1);
        if (clusters > 8 || classes > 8)
        {
            throw new ArgumentException($"MatchToClasses: exhaustive matching supports at most 8 clusters/classes, got {clusters}/{classes}");
        }
        int size = Math.Max(classes, clusters);
        int[] best = Enumerable.Range(0, size).ToArray();
        long bestScore = -1;
        foreach (var p in Permutations(Enumerable.Range(0, size).ToArray(), 0))
        {
            long s = 0;
            for (int j = 0; j < clusters; j++)
            {
                if (p[j] < classes)
                {
                    s += table[p[j], j];
                }
            }
            if (s > bestScore)
            {
                bestScore = s;
                best = (int[])p.Clone();
            }
        }
        return predicted.Select(j => best[j]).ToArray();
    }

    /// <summary>n_ij = #{points with class i and cluster j}.</summary>
    public static int[,] Contingency(int[] truth, int[] predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Length != predicted.Length || truth.Length < 2)
        {
            throw new ArgumentException($"cluster agreement: need two labellings of the same n ≥ 2 points, got {truth.Length} and {predicted.Length}");
        }
        if (truth.Min() < 0 || predicted.Min() < 0)
        {
            throw new ArgumentException("cluster agreement: labels must be ≥ 0");
        }
        var t = new int[truth.Max() + 1, predicted.Max() + 1];
        for (int i = 0; i < truth.Length; i++)
        {
            t[truth[i], predicted[i]]++;
        }
        return t;
    }

    private static IEnumerable<int[]> Permutations(int[] a, int start)
    {
        if (start == a.Length)
        {
            yield return a;
            yield break;
        }
        for (int i = start; i < a.Length; i++)
        {
            (a[start], a[i]) = (a[i], a[start]);
            foreach (var p in Permutations(a, start + 1))
            {
                yield return p;
            }
            (a[start], a[i]) = (a[i], a[start]);
        }
    }
}
