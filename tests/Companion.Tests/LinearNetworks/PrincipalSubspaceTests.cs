using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class PrincipalSubspaceTests
{
    private const double Tolerance = 1e-10;
    private static readonly double[] Spectrum = [5, 3, 2, 1, 0.5, 0.2];

    [Fact]
    public void Eigenvalues_come_in_decreasing_order_and_match_the_planted_spectrum()
    {
        var (sigma, q) = TestCovariances.WithSpectrum([0.2, 3, 1, 5, 0.5, 2], seed: 1);
        var p = PrincipalSubspace.Of(sigma);
        double[] sorted = [5, 3, 2, 1, 0.5, 0.2];
        for (int i = 0; i < sorted.Length; i++)
        {
            Assert.Equal(sorted[i], p.Eigenvalues[i], Tolerance);
        }

        // u₁ belongs to the planted 5 (column 3 of Q), up to sign.
        Assert.Equal(1, Math.Abs(p.U.Column(0).DotProduct(q.Column(3))), Tolerance);
    }

    [Fact]
    public void Decomposition_reconstructs_sigma_with_orthonormal_U()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 2);
        var p = PrincipalSubspace.Of(sigma);
        var rebuilt = p.U * Matrix<double>.Build.DenseOfDiagonalArray(p.Eigenvalues) * p.U.Transpose();
        Assert.True((rebuilt - sigma).FrobeniusNorm() < Tolerance);
        Assert.True((p.U.Transpose() * p.U - Matrix<double>.Build.DenseIdentity(6)).FrobeniusNorm() < Tolerance);
    }

    [Fact]
    public void Optimal_loss_is_the_sum_of_trailing_eigenvalues_and_projector_is_idempotent()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 3);
        var p = PrincipalSubspace.Of(sigma);
        Assert.Equal(0.5 + 0.2 + 1, p.OptimalLoss(3), Tolerance);
        var proj = p.Projector(2);
        Assert.True((proj * proj - proj).FrobeniusNorm() < Tolerance);
        Assert.Equal(2, proj.Trace(), Tolerance);
        Assert.Equal((3 - 2) / 5.0, p.RelativeGap(2), Tolerance);
    }

    [Fact]
    public void Bad_sigma_is_rejected_with_a_message()
    {
        var ex = Assert.Throws<ArgumentException>(() => PrincipalSubspace.Of(Matrix<double>.Build.Dense(2, 3)));
        Assert.Contains("square", ex.Message);
        var asym = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 0, 1 } });
        Assert.Contains("symmetric", Assert.Throws<ArgumentException>(() => PrincipalSubspace.Of(asym)).Message);
        var indefinite = Matrix<double>.Build.DenseOfDiagonalArray([1, -1]);
        Assert.Contains("semi-definite", Assert.Throws<ArgumentException>(() => PrincipalSubspace.Of(indefinite)).Message);
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 4);
        Assert.Contains("1..6", Assert.Throws<ArgumentException>(() => PrincipalSubspace.Of(sigma).Uk(7)).Message);
    }
}
