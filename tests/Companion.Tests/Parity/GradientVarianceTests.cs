using Companion.Parity;

namespace Companion.Tests.Parity;

public class GradientVarianceTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double GradientTolerance = 1e-7;
    private const double Identity = 1e-10;

    [Fact]
    public void Walsh_Hadamard_matches_the_defining_sum()
    {
        var rng = new Random(1);
        var h = Enumerable.Range(0, 32).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var fast = WalshHadamard.Transform(h);
        for (int v = 0; v < 32; v++)
        {
            double direct = Enumerable.Range(0, 32).Sum(x => ParityFunction.Label(v, x) * h[x]);
            Assert.Equal(direct, fast[v], Identity);
        }
    }

    [Fact]
    public void Risk_gradient_matches_finite_differences_of_the_risk()
    {
        const int d = 4, k = 5, vStar = 0b1011;
        var net = ParityNetwork.RandomInit(d, k, seed: 2);
        var g = HingeRisk.Gradient(net, vStar);
        var p = ParityNetworkTests.Flatten(net);
        for (int j = 0; j < p.Length; j++)
        {
            var plus = (double[])p.Clone();
            var minus = (double[])p.Clone();
            plus[j] += FiniteDifferenceStep;
            minus[j] -= FiniteDifferenceStep;
            double fd = (HingeRisk.Risk(ParityNetworkTests.Unflatten(plus, d, k), vStar)
                - HingeRisk.Risk(ParityNetworkTests.Unflatten(minus, d, k), vStar)) / (2 * FiniteDifferenceStep);
            Assert.Equal(fd, g[j], GradientTolerance);
        }
    }

    [Fact]
    public void Risk_gradient_splits_into_a_plus_the_character_average_of_g()
    {
        const int d = 5;
        var net = ParityNetwork.RandomInit(d, 8, seed: 3);
        var a = HingeRisk.A(net);
        foreach (int v in new[] { 0, 7, 19, 31 })
        {
            var grad = HingeRisk.Gradient(net, v);
            var split = (double[])a.Clone();
            for (int x = 0; x < 1 << d; x++)
            {
                var g = HingeRisk.G(net, x);
                for (int j = 0; j < split.Length; j++)
                {
                    split[j] += ParityFunction.Label(v, x) * g[j] / (1 << d);
                }
            }
            for (int j = 0; j < split.Length; j++)
            {
                Assert.Equal(grad[j], split[j], Identity);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    public void Exact_variance_equals_brute_force_and_Parseval_and_is_below_the_bound(int d)
    {
        var net = ParityNetwork.RandomInit(d, 10 * d, seed: d);
        var r = GradientVariance.Exact(net);
        double brute = GradientVariance.BruteForce(net);
        Assert.Equal(brute, r.Variance, Identity * Math.Max(1, brute));
        Assert.Equal(r.ParsevalValue, r.Variance, Identity * Math.Max(1, brute));
        Assert.True(r.Variance <= r.Bound, $"{r.Variance} > {r.Bound}");
        Assert.Equal(r.Cp / (1 << d), r.Bound, Identity);
    }
}
