using Companion.Networks.ImageClassification;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.ImageClassification;

/// <summary>PCA, CCA and least squares in TorchSharp against MathNet's decompositions on small data.</summary>
public class LinearMethodsTests
{
    private const double Tolerance = 1e-8;

    private static (Matrix<double> M, Tensor T) Data(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var scales = Enumerable.Range(0, d).Select(j => 3.0 / (1 + j)).ToArray();
        var m = Matrix<double>.Build.Dense(n, d, (i, j) => scales[j] * (rng.NextDouble() - 0.5) + 0.1 * j);
        return (m, tensor(m.ToRowMajorArray(), [n, d], float64));
    }

    [Fact]
    public void Pca_components_match_the_SVD_of_the_centred_data()
    {
        var (m, t) = Data(200, 12, 1);
        var (c, fractions, mean) = LinearMethods.Pca(t, 3, iterations: 20);
        var centred = m - Matrix<double>.Build.Dense(200, 12, (i, j) => m.Column(j).Average());
        var svd = centred.Svd(true);
        double total = svd.S.Sum(s => s * s);
        var cv = c.data<double>().ToArray();
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(svd.S[k] * svd.S[k] / total, fractions[k], Tolerance);
            double dot = Enumerable.Range(0, 12).Sum(j => cv[j * 3 + k] * svd.VT[k, j]);
            Assert.Equal(1, Math.Abs(dot), 1e-6);
        }
    }

    [Fact]
    public void Canonical_correlations_are_the_correlations_of_the_canonical_variates()
    {
        var rng = new Random(2);
        var labels = Enumerable.Range(0, 300).Select(_ => rng.Next(4)).ToArray();
        var z = Matrix<double>.Build.Dense(300, 5, (i, j) => (j == 0 ? labels[i] : j == 1 ? labels[i] % 2 : 0) + rng.NextDouble());
        using var zt = tensor(z.ToRowMajorArray(), [300, 5], float64);
        using var y = LinearMethods.OneHot(labels, 4);
        var (a, corr) = LinearMethods.Cca(zt, y, lambda: 1e-9);
        // corr(Za_k, best linear function of Y) = ρ_k: the R² of regressing Za_k on the one-hot labels is ρ_k².
        using var u = matmul(zt - zt.mean([0], keepdim: true), a);
        var uv = u.data<double>().ToArray();
        for (int k = 0; k < 2; k++)
        {
            var col = Enumerable.Range(0, 300).Select(i => uv[i * 2 + k]).ToArray();
            double mean = col.Average();
            double total = col.Sum(v => (v - mean) * (v - mean));
            double within = Enumerable.Range(0, 4).Sum(c =>
            {
                var g = col.Where((_, i) => labels[i] == c).ToArray();
                double gm = g.Average();
                return g.Sum(v => (v - gm) * (v - gm));
            });
            Assert.Equal(corr[k] * corr[k], 1 - within / total, 1e-6);
        }
        Assert.True(corr[0] >= corr[1]);
    }

    [Fact]
    public void Least_squares_matches_MathNet_normal_equations()
    {
        var (m, t) = Data(100, 6, 3);
        var rng = new Random(4);
        var labels = Enumerable.Range(0, 100).Select(_ => rng.Next(3)).ToArray();
        using var y = LinearMethods.OneHot(labels, 3);
        using var w = LinearMethods.LeastSquares(t, y, lambda: 0.5);
        var xb = m.Append(Matrix<double>.Build.Dense(100, 1, 1.0));
        var ym = Matrix<double>.Build.Dense(100, 3, (i, j) => labels[i] == j ? 1 : 0);
        var expected = (xb.TransposeThisAndMultiply(xb) + 0.5 * Matrix<double>.Build.DenseIdentity(7)).Solve(xb.TransposeThisAndMultiply(ym));
        var wv = w.data<double>().ToArray();
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(expected[i, j], wv[i * 3 + j], Tolerance);
            }
        }
    }
}
