using Companion.Claims;

namespace Companion.Tests.Claims;

/// <summary>Claims print what holds, fail the cell at the parameters they were written for, and say "not holding here"
/// elsewhere. The tests share <see cref="Companion.Claims.Claims"/>' process-wide state, so they run in one class.</summary>
public sealed class ClaimsTests : IDisposable
{
    private readonly StringWriter output = new();
    private readonly TextWriter original = Console.Out;

    public ClaimsTests()
    {
        Console.SetOut(output);
        Companion.Claims.Claims.WrittenFor(new { seed = 0 }, new { seed = 0 });
    }

    public void Dispose() => Console.SetOut(original);

    [Fact]
    public void A_claim_that_holds_is_printed_with_its_numbers()
    {
        double gap = 3e-12;
        Assert.True(Companion.Claims.Claims.Check(gap < 1e-10, $"the gap {gap:E1} is below 1e-10"));
        Assert.Equal($"{Companion.Claims.Claims.HoldsPrefix}the gap 3.0E-012 is below 1e-10", output.ToString().TrimEnd());
    }

    [Fact]
    public void A_failing_claim_at_the_written_parameters_throws_with_the_sentence()
    {
        var e = Assert.Throws<ClaimFailedException>(() => Companion.Claims.Claims.Check(1.5 < 1, "1.5 is below 1"));
        Assert.Equal("1.5 is below 1", e.Sentence);
        Assert.Contains("written for", e.Message);
        Assert.DoesNotContain(Companion.Claims.Claims.HoldsPrefix, output.ToString());
    }

    [Fact]
    public void Under_other_parameters_a_failing_claim_is_printed_as_not_holding_here_with_what_differs()
    {
        int seed = 3, steps = 100;
        Assert.False(Companion.Claims.Claims.WrittenFor(new { seed = 0, steps = 100 }, new { seed, steps }));
        Assert.False(Companion.Claims.Claims.AtWrittenParameters);
        Assert.False(Companion.Claims.Claims.Check(false, "the loss falls below 0.001 (0.0032)"));
        var line = output.ToString().Split('\n').Single(l => l.StartsWith(Companion.Claims.Claims.NotHoldingPrefix, StringComparison.Ordinal));
        Assert.Contains("seed = 3, written for 0", line);
        Assert.DoesNotContain("steps", line);
        Assert.EndsWith("the loss falls below 0.001 (0.0032)", line.TrimEnd());
    }

    [Fact]
    public void Arrays_compare_by_element_and_equal_values_restore_strict_checking()
    {
        var alphas = new[] { 0.1, 0.2 };
        Assert.True(Companion.Claims.Claims.WrittenFor(new { alphas = new[] { 0.1, 0.2 } }, new { alphas }));
        Assert.True(Companion.Claims.Claims.AtWrittenParameters);
        Assert.False(Companion.Claims.Claims.WrittenFor(new { alphas = new[] { 0.1, 0.2 } }, new { alphas = new[] { 0.1, 0.3 } }));
        Assert.Contains("alphas = [0.1, 0.3], written for [0.1, 0.2]", output.ToString());
        Assert.True(Companion.Claims.Claims.WrittenFor(new { alphas }, new { alphas }));
        Assert.Throws<ClaimFailedException>(() => Companion.Claims.Claims.Check(false, "strict again"));
    }

    [Fact]
    public void Comparison_helpers_append_the_value_and_bound_and_decide_by_them()
    {
        Assert.True(Companion.Claims.Claims.Below("the residual is tiny", 2.5e-13, 1e-10));
        Assert.True(Companion.Claims.Claims.Above("accuracy beats chance", 0.91, 0.1));
        Assert.True(Companion.Claims.Claims.InRange("the ratio is about 8", 9.7, 5, 12));
        Assert.Throws<ClaimFailedException>(() => Companion.Claims.Claims.InRange("the ratio is about 8", 13, 5, 12));
        var text = output.ToString();
        Assert.Contains("the residual is tiny (2.5E-13 < 1E-10)", text);
        Assert.Contains("accuracy beats chance (0.91 > 0.1)", text);
        Assert.Contains("the ratio is about 8 (9.7 in [5, 12])", text);
    }

    [Fact]
    public void An_empty_sentence_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Companion.Claims.Claims.Check(true, " "));
    }
}
