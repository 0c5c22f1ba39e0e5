using Companion.Parity;

namespace Companion.Tests.Parity;

public class ParityConstructionTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void As_written_fails_only_at_the_all_ones_mask_and_input(int d)
    {
        int all = (1 << d) - 1;
        var report = ConstructionCheck.Run(d, v => ParityConstruction.AsWritten(v, d, 10 * d));
        var failure = Assert.Single(report.Failures);
        Assert.Equal((all, all), (failure.VStar, failure.X));
        Assert.Equal(ParityFunction.Label(all, all), failure.Label);
        // s = v*ᵀx = d. Even d: the hat at s = d has w = 0, f = β = −1 (error 2).
        // Odd d: only the first unit of the last hat (centred at d − 1) sees s: f = 4·(1 + ½) − 1 = 5 (error 6).
        Assert.Equal(d % 2 == 0 ? -1 : 5, failure.Output);
        Assert.Equal(d % 2 == 0 ? 2 : 6, report.MaxError);
        Assert.Equal(1, report.SignErrors);
        Assert.Equal(1L << (2 * d), report.Pairs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    public void Corrected_and_interpolating_constructions_are_exact(int d)
    {
        Assert.Equal(0, ConstructionCheck.Run(d, v => ParityConstruction.Corrected(v, d, 10 * d)).MaxError);
        Assert.Equal(0, ConstructionCheck.Run(d, v => ParityConstruction.Corrected(v, d, ParityConstruction.UnitsNeeded(d))).MaxError);
        Assert.Equal(0, ConstructionCheck.Run(d, v => ParityConstruction.Interpolating(v, d)).MaxError);
    }

    [Fact]
    public void Gray_code_check_agrees_with_direct_evaluation()
    {
        const int d = 5;
        var rng = new Random(4);
        var nets = Enumerable.Range(0, 1 << d).Select(v => ParityNetwork.RandomInit(d, 6, seed: rng.Next())).ToArray();
        var report = ConstructionCheck.Run(d, v => nets[v], maxFailuresKept: int.MaxValue);
        double direct = 0;
        for (int v = 0; v < 1 << d; v++)
        {
            for (int x = 0; x < 1 << d; x++)
            {
                direct = Math.Max(direct, Math.Abs(nets[v].Evaluate(x) - ParityFunction.Label(v, x)));
            }
        }
        Assert.Equal(direct, report.MaxError, 1e-12);
        Assert.Equal(1 << (2 * d), report.Failures.Count);
        foreach (var f in report.Failures.Take(50))
        {
            Assert.Equal(nets[f.VStar].Evaluate(f.X), f.Output, 1e-12);
        }
    }

    [Fact]
    public void Too_narrow_a_network_is_refused_with_the_needed_width()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ParityConstruction.AsWritten(3, 6, 6));
        Assert.Contains("must be ≥ 12", ex.Message);
    }
}
