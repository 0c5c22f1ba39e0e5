using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>A k-means clustering.</summary>
/// <param name="Labels">Cluster of each point, 0..k−1.</param>
/// <param name="Centroids">k×d, row c the mean of cluster c.</param>
/// <param name="Inertia">Σᵢ ‖xᵢ − μ_{c(i)}‖², the objective k-means minimises.</param>
/// <param name="Iterations">Lloyd iterations of the best restart.</param>
public sealed record KMeansResult(int[] Labels, Matrix<double> Centroids, double Inertia, int Iterations);

/// <summary>
/// k-means (Lloyd 1982) with k-means++ seeding (Arthur &amp; Vassilvitskii 2007) and <c>restarts</c> independent runs, the
/// lowest inertia kept: what sklearn's <c>KMeans(n_clusters=k, n_init=10)</c> does, which EECS 182 HW7 Q5 (seed 003)
/// uses on raw coordinates (a) and on the spectral embeddings (f), (g). Lloyd's step alternates assigning each point to
/// its nearest centroid and moving each centroid to the mean of its points; it stops when no assignment changes, at a
/// fixed point of both steps. An empty cluster is re-seeded at the point farthest from its centroid.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters the rows of <paramref name="x"/> (n×d) into k groups.</summary>
    /// <exception cref="ArgumentException">k &lt; 1 or k &gt; n, restarts &lt; 1, or a non-finite coordinate.</exception>
    public static KMeansResult Fit(Matrix<double> x, int k, int seed = 0, int restarts = 10, int maxIterations = 300)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.RowCount, d = x.ColumnCount;
        if (k < 1 || k > n)
        {
            throw new ArgumentException($"k-means: need 1 ≤ k ≤ n but k = {k}, n = {n}", nameof(k));
        }
        if (restarts < 1)
        {
            throw new ArgumentException($"k-means: restarts must be ≥ 1 but is {restarts}", nameof(restarts));
        }
        var pts = new double[n][];
        for (int i = 0; i < n; i++)
        {
            pts[i] = x.Row(i).ToArray();
            if (pts[i].Any(v => !double.IsFinite(v)))
            {
                throw new ArgumentException($"k-means: point {i} has a non-finite coordinate", nameof(x));
            }
        }
        var rng = new Random(seed);
        KMeansResult? best = null;
        for (int r = 0; r < restarts; r++)
        {
            Interruption.Check(); // stops here when the notebook cell is interrupted
            var run = Lloyd(pts, k, d, PlusPlus(pts, k, rng), maxIterations);
            if (best is null || run.Inertia < best.Inertia)
            {
                best = run;
            }
        }
        return best!;
    }

    /// <summary>Inertia Σᵢ ‖xᵢ − μ_{c(i)}‖² of a labelling, with μ_c the mean of cluster c (for comparing partitions).</summary>
    public static double Inertia(Matrix<double> x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        int k = labels.Max() + 1;
        var mu = Means(x, labels, k);
        double s = 0;
        for (int i = 0; i < x.RowCount; i++)
        {
            s += (x.Row(i) - mu.Row(labels[i])).L2Norm() is var e ? e * e : 0;
        }
        return s;
    }

    /// <summary>Means of the clusters (k×d); an empty cluster's mean is 0.</summary>
    public static Matrix<double> Means(Matrix<double> x, int[] labels, int k)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        var mu = Matrix<double>.Build.Dense(k, x.ColumnCount);
        var count = new int[k];
        for (int i = 0; i < x.RowCount; i++)
        {
            count[labels[i]]++;
            mu.SetRow(labels[i], mu.Row(labels[i]) + x.Row(i));
        }
        for (int c = 0; c < k; c++)
        {
            if (count[c] > 0)
            {
                mu.SetRow(c, mu.Row(c) / count[c]);
            }
        }
        return mu;
    }

    /// <summary>k-means++: first centre uniform, each next one drawn with probability ∝ squared distance to the nearest.</summary>
    private static double[][] PlusPlus(double[][] pts, int k, Random rng)
    {
        int n = pts.Length;
        var centres = new double[k][];
        centres[0] = (double[])pts[rng.Next(n)].Clone();
        var dist = pts.Select(p => Sq(p, centres[0])).ToArray();
        for (int c = 1; c < k; c++)
        {
            double total = dist.Sum(), u = rng.NextDouble() * total, acc = 0;
            int pick = n - 1;
            for (int i = 0; i < n && total > 0; i++)
            {
                acc += dist[i];
                if (acc >= u)
                {
                    pick = i;
                    break;
                }
            }
            centres[c] = (double[])pts[pick].Clone();
            for (int i = 0; i < n; i++)
            {
                dist[i] = Math.Min(dist[i], Sq(pts[i], centres[c]));
            }
        }
        return centres;
    }

    private static KMeansResult Lloyd(double[][] pts, int k, int d, double[][] centres, int maxIterations)
    {
        int n = pts.Length;
        var labels = Enumerable.Repeat(-1, n).ToArray();
        int it = 0;
        for (; it < maxIterations; it++)
        {
            Interruption.Check(); // stops here when the notebook cell is interrupted
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int c = Nearest(pts[i], centres);
                if (c != labels[i])
                {
                    labels[i] = c;
                    changed = true;
                }
            }
            if (!changed)
            {
                break;
            }
            var sum = new double[k, d];
            var count = new int[k];
            for (int i = 0; i < n; i++)
            {
                count[labels[i]]++;
                for (int j = 0; j < d; j++)
                {
                    sum[labels[i], j] += pts[i][j];
                }
            }
            for (int c = 0; c < k; c++)
            {
                if (count[c] == 0)
                {
                    // Re-seed an empty cluster at the point farthest from its current centre.
                    int far = Enumerable.Range(0, n).MaxBy(i => Sq(pts[i], centres[labels[i]]));
                    centres[c] = (double[])pts[far].Clone();
                    continue;
                }
                for (int j = 0; j < d; j++)
                {
                    centres[c][j] = sum[c, j] / count[c];
                }
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++)
        {
            inertia += Sq(pts[i], centres[labels[i]]);
        }
        var mu = Matrix<double>.Build.Dense(k, d, (c, j) => centres[c][j]);
        return new KMeansResult(labels, mu, inertia, it + 1);
    }

    private static int Nearest(double[] p, double[][] centres)
    {
        int best = 0;
        double bestD = double.PositiveInfinity;
        for (int c = 0; c < centres.Length; c++)
        {
            double dd = Sq(p, centres[c]);
            if (dd < bestD)
            {
                bestD = dd;
                best = c;
            }
        }
        return best;
    }

    private static double Sq(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }
}
