using Companion.Generative;

namespace Companion.Tests.Generative;

public class GaussianMixtureTests
{
    private const double FiniteDifferenceStep = 1e-5;
    private const double FiniteDifferenceTolerance = 1e-7;

    private static readonly GaussianMixture Target = new(new[] { 0.3, 0.7 }, new[] { -2.0, 1.5 }, new[] { 0.5, 0.8 });

    [Fact]
    public void Density_integrates_to_one_and_has_the_closed_form_moments()
    {
        // Independent check of Mean and Variance: moments by quadrature of the density.
        const double Tolerance = 1e-9;
        double Integral(Func<double, double> f)
        {
            const int n = 20_000;
            double a = -12, b = 12, h = (b - a) / n, sum = f(a) + f(b);
            for (var i = 1; i < n; i++)
                sum += (i % 2 == 1 ? 4 : 2) * f(a + i * h);
            return sum * h / 3;
        }
        Assert.Equal(1, Integral(Target.Density), Tolerance);
        Assert.Equal(Target.Mean, Integral(x => x * Target.Density(x)), Tolerance);
        Assert.Equal(Target.Variance, Integral(x => (x - Target.Mean) * (x - Target.Mean) * Target.Density(x)), Tolerance);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.4)]
    [InlineData(0.0)]
    [InlineData(2.2)]
    public void Score_matches_finite_differences_of_the_log_density(double x)
    {
        var fd = (Target.LogDensity(x + FiniteDifferenceStep) - Target.LogDensity(x - FiniteDifferenceStep)) / (2 * FiniteDifferenceStep);
        Assert.Equal(fd, Target.Score(x), FiniteDifferenceTolerance);
    }

    [Fact]
    public void Samples_have_the_mixture_weights_and_moments()
    {
        var x = Target.Sample(50_000, seed: 1);
        var mean = x.Average();
        var variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        Assert.Equal(Target.Mean, mean, 0.03);
        Assert.Equal(Target.Variance, variance, 0.05);
        Assert.Equal(0.3, x.Count(v => v < -0.5) / (double)x.Length, 0.01);
    }

    [Fact]
    public void Log_density_is_finite_far_in_the_tails()
    {
        Assert.True(double.IsFinite(Target.LogDensity(60)));
        Assert.True(double.IsFinite(Target.Score(-60)));
    }

    [Fact]
    public void Bad_weights_are_rejected_with_a_message()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GaussianMixture(new[] { 0.5, 0.6 }, new[] { 0.0, 1.0 }, new[] { 1.0, 1.0 }));
        Assert.Contains("sum to 1", ex.Message);
        Assert.Throws<ArgumentException>(() => new GaussianMixture(new[] { 1.0 }, new[] { 0.0, 1.0 }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => new GaussianMixture(new[] { 1.0 }, new[] { 0.0 }, new[] { 0.0 }));
    }
}
