using Companion.Parity;

namespace Companion.Tests.Parity;

public class ParityNetworkTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double GradientTolerance = 1e-7;
    private const double Identity = 1e-12;

    [Fact]
    public void Labels_are_minus_one_to_the_overlap()
    {
        Assert.Equal(1, ParityFunction.Label(0b1011, 0b0100));   // overlap 0
        Assert.Equal(-1, ParityFunction.Label(0b1011, 0b0001));  // overlap 1
        Assert.Equal(1, ParityFunction.Label(0b1011, 0b1010));   // overlap 2
        Assert.Equal(-1, ParityFunction.Label(0b1011, 0b1111));  // overlap 3
    }

    [Fact]
    public void Evaluate_is_the_sum_of_alpha_times_relu_plus_beta()
    {
        var net = ParityNetwork.RandomInit(5, 7, seed: 1);
        for (int x = 0; x < 32; x++)
        {
            var bits = ParityFunction.Bits(x, 5);
            double f = net.Beta;
            for (int i = 0; i < 7; i++)
            {
                double z = net.B[i] + Enumerable.Range(0, 5).Sum(j => net.W[i, j] * bits[j]);
                f += net.Alpha[i] * Math.Max(0, z);
            }
            Assert.Equal(f, net.Evaluate(x), Identity);
        }
    }

    [Fact]
    public void Gradient_matches_finite_differences_in_the_order_of_p()
    {
        var net = ParityNetwork.RandomInit(4, 6, seed: 2);
        foreach (int x in new[] { 0, 5, 11, 15 })
        {
            var g = net.Gradient(x);
            var p = Flatten(net);
            for (int j = 0; j < p.Length; j++)
            {
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[j] += FiniteDifferenceStep;
                minus[j] -= FiniteDifferenceStep;
                double fd = (Unflatten(plus, 4, 6).Evaluate(x) - Unflatten(minus, 4, 6).Evaluate(x)) / (2 * FiniteDifferenceStep);
                Assert.Equal(fd, g[j], GradientTolerance);
            }
        }
    }

    [Fact]
    public void Every_gradient_entry_is_within_c_p()
    {
        var net = ParityNetwork.RandomInit(6, 9, seed: 3);
        double cp = net.GradientBound();
        double max = Enumerable.Range(0, 64).Max(x => net.Gradient(x).Max(Math.Abs));
        Assert.True(max <= cp + Identity, $"max |∇f| = {max} > c_p = {cp}");
    }

    internal static double[] Flatten(ParityNetwork n)
    {
        var p = new List<double>();
        for (int i = 0; i < n.K; i++)
        {
            for (int j = 0; j < n.D; j++)
            {
                p.Add(n.W[i, j]);
            }
        }
        p.AddRange(n.B);
        p.AddRange(n.Alpha);
        p.Add(n.Beta);
        return p.ToArray();
    }

    internal static ParityNetwork Unflatten(double[] p, int d, int k)
    {
        var w = new double[k, d];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < d; j++)
            {
                w[i, j] = p[i * d + j];
            }
        }
        return new ParityNetwork(w, p[(d * k)..(d * k + k)], p[(d * k + k)..(d * k + 2 * k)], p[^1]);
    }
}
