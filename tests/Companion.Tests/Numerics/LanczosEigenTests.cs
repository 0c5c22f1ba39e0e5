using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Numerics;

/// <summary>Lanczos against MathNet's full symmetric eigen-decomposition on matrices with a known spectrum.</summary>
public class LanczosEigenTests
{
    private const double ValueTolerance = 1e-9;
    private const double VectorTolerance = 1e-7;
    private const double ResidualTolerance = 1e-8;

    /// <summary>Q diag(λ) Qᵀ with a random orthogonal Q.</summary>
    private static Matrix<double> WithSpectrum(double[] lambda, int seed)
    {
        int n = lambda.Length;
        var q = Matrix<double>.Build.Random(n, n, seed).QR().Q;
        return q * Matrix<double>.Build.DiagonalOfDiagonalArray(lambda) * q.Transpose();
    }

    [Theory]
    [InlineData(EigenEnd.LargestAlgebraic)]
    [InlineData(EigenEnd.LargestMagnitude)]
    public void Top_eigenpairs_match_the_full_decomposition(EigenEnd end)
    {
        var rng = new Random(3);
        var lambda = Enumerable.Range(0, 200).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        lambda[7] = -1.9; // largest in magnitude, smallest algebraically
        lambda[11] = 1.5;
        lambda[13] = 1.45;
        var a = WithSpectrum(lambda, 5);
        var got = LanczosEigen.Compute(a, 3, end, seed: 1);

        var evd = a.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, values.Length)
            .OrderByDescending(i => end == EigenEnd.LargestMagnitude ? Math.Abs(values[i]) : values[i]).Take(3).ToArray();
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(values[order[c]], got.Values[c], ValueTolerance);
            var u = evd.EigenVectors.Column(order[c]);
            Assert.Equal(1.0, Math.Abs(u.DotProduct(got.Vectors.Column(c))), VectorTolerance);
            var v = got.Vectors.Column(c);
            Assert.True((a * v - got.Values[c] * v).L2Norm() < ResidualTolerance);
        }
        Assert.True(got.Iterations < 200, $"took {got.Iterations} steps, as many as a full decomposition");
        Assert.Equal(end == EigenEnd.LargestMagnitude ? -1.9 : 1.5, got.Values[0], ValueTolerance);
    }

    [Fact]
    public void Vectors_are_orthonormal()
    {
        var a = WithSpectrum(Enumerable.Range(1, 80).Select(i => 1.0 / i).ToArray(), 2);
        var v = LanczosEigen.Compute(a, 4).Vectors;
        var gram = v.TransposeThisAndMultiply(v);
        Assert.True((gram - Matrix<double>.Build.DenseIdentity(4)).FrobeniusNorm() < VectorTolerance);
    }

    [Fact]
    public void A_small_matrix_is_solved_exactly_when_the_basis_fills_the_space()
    {
        double[] lambda = [3, 3, 1, 0.5, -2]; // a repeated eigenvalue needs the restart after breakdown
        var a = WithSpectrum(lambda, 9);
        var got = LanczosEigen.Compute(a, 5);
        Assert.Equal(lambda, got.Values.Select(v => Math.Round(v, 9)).ToArray());
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var a = Matrix<double>.Build.DenseIdentity(3);
        Assert.Contains("k = 4", Assert.Throws<ArgumentException>(() => LanczosEigen.Compute(a, 4)).Message);
        Assert.Contains("square", Assert.Throws<ArgumentException>(
            () => LanczosEigen.Compute(Matrix<double>.Build.Dense(3, 2), 1)).Message);
    }
}
