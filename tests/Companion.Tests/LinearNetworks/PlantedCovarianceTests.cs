using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class PlantedCovarianceTests
{
    private const double Tolerance = 1e-10;
    private const double SampleTolerance = 0.15;

    [Fact]
    public void Planted_eigenpairs_are_eigenpairs()
    {
        double[] s = [4, 2, 1, 0.5];
        var (sigma, u) = PlantedCovariance.WithSpectrum(s, seed: 1);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(((sigma * u.Column(i)) - (s[i] * u.Column(i))).L2Norm() < Tolerance);
        }
    }

    [Fact]
    public void Samples_have_the_planted_covariance()
    {
        double[] s = [4, 2, 1, 0.5];
        var (sigma, u) = PlantedCovariance.WithSpectrum(s, seed: 2);
        var x = PlantedCovariance.Sample(s, u, 20000, seed: 3);
        var empirical = LinearAutoencoder.SecondMoment(x);
        Assert.True((empirical - sigma).FrobeniusNorm() < SampleTolerance * sigma.FrobeniusNorm());
    }

    [Fact]
    public void Bad_spectrum_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PlantedCovariance.WithSpectrum([1, -1], 0));
        Assert.Throws<ArgumentException>(() => PlantedCovariance.WithSpectrum([], 0));
    }
}
