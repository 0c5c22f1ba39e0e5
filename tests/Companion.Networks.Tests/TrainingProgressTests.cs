namespace Companion.Networks.Tests;

/// <summary>The progress view: numbers it shows, ETA from the rate, throttled redraws, a curve once there are two points.</summary>
public class TrainingProgressTests
{
    [Fact]
    public void Redraws_are_throttled_but_the_last_step_is_always_shown()
    {
        var shown = new List<string>();
        var p = new TrainingProgress(1000, shown.Add, "fit", TimeSpan.FromHours(1));
        for (int i = 1; i <= 1000; i++) p.Report(i, 1.0 / i);
        Assert.Equal(2, shown.Count); // the first report and the last step
        Assert.Contains("step 1000/1000", shown[^1], StringComparison.Ordinal);
        Assert.Contains("loss 0.001 ", shown[^1], StringComparison.Ordinal);
        Assert.Contains("done", shown[^1], StringComparison.Ordinal);
        Assert.Contains("<polyline", shown[^1], StringComparison.Ordinal);
        Assert.Equal(1000, p.History.Count);
    }

    [Fact]
    public void Eta_is_elapsed_times_remaining_over_done()
    {
        var p = new TrainingProgress(4);
        var before = p.Elapsed;
        p.Report(1, 1);
        var eta = p.Eta!.Value;
        var after = p.Elapsed;
        // ETA = elapsed·(4 − 1)/1 with elapsed read between the two clock reads around it
        Assert.InRange(eta.Ticks, 3 * before.Ticks, 3 * after.Ticks);
        Assert.Contains("step 1/4", p.ToString(), StringComparison.Ordinal);
        Assert.Null(new TrainingProgress(3).Eta);
    }

    [Fact]
    public void Title_is_html_encoded_and_a_bad_total_is_an_error()
    {
        var p = new TrainingProgress(2, title: "<b>x</b>");
        p.Report(1, 0.5);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", p.Html(), StringComparison.Ordinal);
        Assert.DoesNotContain("<polyline", p.Html(), StringComparison.Ordinal); // one point: no curve yet
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingProgress(0));
    }
}
