using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.SelfSupervised;

/// <summary>
/// The augmentation statistics of linear SimSiam (homework 002_6d1f8bd69ec35d2c, Question 5.1; Tian, Chen &amp; Ganguli
/// 2021, "Understanding self-supervised learning dynamics without contrastive pairs"):
/// X = E_x[x̄ x̄ᵀ] with x̄ = E[x′ | x] the average augmented view of x, and
/// X′ = E_x[Cov(x′ | x)] the covariance of the augmented views given x, averaged over the data.
/// For two views x₁, x₂ drawn independently given x: E[x₁x₁ᵀ] = X + X′ and E[x₁x₂ᵀ] = X.
/// </summary>
/// <param name="X">X, n1×n1, symmetric positive semi-definite.</param>
/// <param name="XPrime">X′, n1×n1, symmetric positive semi-definite (definite for the collapse results 5.3/5.4).</param>
public sealed record AugmentationStatistics(Matrix<double> X, Matrix<double> XPrime)
{
    /// <summary>Input dimension n1.</summary>
    public int N1 => X.RowCount;

    /// <summary>
    /// X and X′ of a finite data set, each data point given by its m augmented views (the conditional distribution of
    /// x′ | x is uniform over the views): x̄ₖ = mean of the views, X = mean_k x̄ₖx̄ₖᵀ,
    /// X′ = mean_k (1/m) Σₐ (xₖₐ − x̄ₖ)(xₖₐ − x̄ₖ)ᵀ.
    /// </summary>
    /// <param name="views">One n1×m matrix per data point; column a is the view xₖₐ.</param>
    public static AugmentationStatistics FromViews(IReadOnlyList<Matrix<double>> views)
    {
        if (views.Count == 0)
        {
            throw new ArgumentException("Need at least one data point.", nameof(views));
        }

        int n1 = views[0].RowCount;
        var x = Matrix<double>.Build.Dense(n1, n1);
        var xPrime = Matrix<double>.Build.Dense(n1, n1);
        foreach (var v in views)
        {
            if (v.RowCount != n1 || v.ColumnCount == 0)
            {
                throw new ArgumentException($"Every view matrix must be n1×m ({n1}×m, m ≥ 1) but one is {v.RowCount}×{v.ColumnCount}.", nameof(views));
            }

            var mean = v.RowSums() / v.ColumnCount;
            x += mean.OuterProduct(mean);
            var centred = v - Matrix<double>.Build.DenseOfColumnVectors(Enumerable.Repeat(mean, v.ColumnCount));
            xPrime += centred * centred.Transpose() / v.ColumnCount;
        }

        return new AugmentationStatistics(x / views.Count, xPrime / views.Count);
    }

    /// <summary>
    /// A synthetic data set and its statistics: data xₖ = A zₖ with A (n1×n1) and zₖ standard normal, A having
    /// N(0, 1/n1) entries; views xₖₐ = xₖ + σ εₐ with εₐ standard normal (additive-noise augmentation).
    /// Then X ≈ A Aᵀ + σ²/m·I and X′ ≈ σ²(m − 1)/m·I.
    /// </summary>
    /// <param name="n1">Input dimension.</param>
    /// <param name="dataCount">Number of data points N.</param>
    /// <param name="viewCount">Views per data point m (≥ 2 so that X′ ≠ 0).</param>
    /// <param name="augmentationStd">σ.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>The statistics and the views (one n1×m matrix per data point).</returns>
    public static (AugmentationStatistics Statistics, Matrix<double>[] Views) Sample(int n1, int dataCount, int viewCount, double augmentationStd, int seed)
    {
        if (n1 < 1 || dataCount < 1 || viewCount < 2 || !(augmentationStd > 0))
        {
            throw new ArgumentException($"Need n1 ≥ 1, dataCount ≥ 1, viewCount ≥ 2, augmentationStd > 0 but got {n1}, {dataCount}, {viewCount}, {augmentationStd}.");
        }

        var rng = new Random(seed);
        double Gauss() => Normal.Sample(rng, 0, 1);
        var a = Matrix<double>.Build.Dense(n1, n1, (_, _) => Gauss() / Math.Sqrt(n1));
        var views = new Matrix<double>[dataCount];
        for (int k = 0; k < dataCount; k++)
        {
            var xk = a * Vector<double>.Build.Dense(n1, _ => Gauss());
            views[k] = Matrix<double>.Build.Dense(n1, viewCount, (i, _) => xk[i] + (augmentationStd * Gauss()));
        }

        return (FromViews(views), views);
    }
}
