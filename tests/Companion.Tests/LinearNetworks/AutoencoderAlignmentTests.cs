using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class AutoencoderAlignmentTests
{
    private const double Tolerance = 1e-10;
    private const double PredictionTolerance = 1e-5;
    private static readonly double[] Spectrum = [5, 3, 2, 1, 0.5, 0.2];

    [Fact]
    public void Polar_factors_rebuild_G()
    {
        var g = TestCovariances.Gaussian(2, 2, 1, seed: 1);
        var (theta, orientation, s1, s2) = AutoencoderAlignment.Polar2(g);
        var rot = Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(theta), -Math.Sin(theta) }, { Math.Sin(theta), Math.Cos(theta) } });
        var o = rot * Matrix<double>.Build.DenseOfDiagonalArray([1.0, orientation]);
        var p = o.Transpose() * g; // must be symmetric PSD with eigenvalues s1, s2
        Assert.True((p - p.Transpose()).FrobeniusNorm() < Tolerance);
        var ev = p.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).OrderByDescending(v => v).ToArray();
        Assert.Equal(s1, ev[0], Tolerance);
        Assert.Equal(s2, ev[1], Tolerance);
        Assert.Equal(Math.Sign(g.Determinant()), orientation);
    }

    [Fact]
    public void Column_alignment_is_one_for_scaled_principal_directions_and_less_for_a_rotation()
    {
        var (_, q) = TestCovariances.WithSpectrum(Spectrum, seed: 2);
        var uk = q.SubMatrix(0, 6, 0, 2);
        Assert.All(AutoencoderAlignment.ColumnAlignment(uk * Matrix<double>.Build.DenseOfDiagonalArray([2.0, -0.5]), uk), c => Assert.Equal(1, c, Tolerance));
        var r = Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(0.5), -Math.Sin(0.5) }, { Math.Sin(0.5), Math.Cos(0.5) } });
        Assert.All(AutoencoderAlignment.ColumnAlignment(uk * r, uk), c => Assert.Equal(Math.Cos(0.5), c, Tolerance));
    }

    [Fact]
    public void Gram_of_the_reached_minimiser_is_predicted_by_the_conserved_quantity()
    {
        var (sigma, q) = TestCovariances.WithSpectrum(Spectrum, seed: 3);
        var uk = q.SubMatrix(0, 6, 0, 2);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 1, seed: 4);
        var run = LinearAutoencoderDynamics.GradientFlow(sigma, a0, b0, 200, samples: 2);
        Assert.True(run.GradientNorm[^1] < 1e-7);
        var g = AutoencoderAlignment.CodeBasis(run.A[^1], uk);
        var predicted = AutoencoderAlignment.PredictedGram(a0, b0);
        Assert.True(((g.Transpose() * g) - predicted).FrobeniusNorm() < PredictionTolerance * predicted.FrobeniusNorm());
    }
}
