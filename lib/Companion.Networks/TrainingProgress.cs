using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Companion.Networks;

/// <summary>
/// Progress of a training run shown as one notebook output that is updated in place: step, loss, elapsed time, ETA and a
/// small loss curve (inline SVG, log-scale loss), as HTML. The notebook passes how to show it, which works the same in
/// this project's engine and under .NET Interactive:
/// <code>
/// var view = display(HTML("training…"));
/// var progress = new TrainingProgress(steps, html => view.Update(HTML(html)));
/// </code>
/// <see cref="Report"/> records every step and redraws at most every <c>interval</c> (and always at the last step), so a
/// long run costs a few dozen updates, not one printed line per step.
/// </summary>
public sealed class TrainingProgress
{
    const int CurvePoints = 200;
    const int Width = 260;
    const int Height = 64;

    readonly Action<string>? show;
    readonly TimeSpan interval;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly List<(int Step, double Loss)> history = [];
    TimeSpan? lastShown;

    /// <param name="totalSteps">Steps the run will take (for the ETA and the "done" state).</param>
    /// <param name="show">Called with the HTML view when it changes (e.g. <c>html =&gt; view.Update(HTML(html))</c>); null to only record.</param>
    /// <param name="title">What is being trained, shown above the numbers.</param>
    /// <param name="interval">Least time between two redraws (default 0.5 s).</param>
    public TrainingProgress(int totalSteps, Action<string>? show = null, string title = "training", TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        TotalSteps = totalSteps;
        this.show = show;
        Title = title;
        this.interval = interval ?? TimeSpan.FromSeconds(0.5);
    }

    public int TotalSteps { get; }
    public string Title { get; }

    /// <summary>Every reported (step, loss), in order.</summary>
    public IReadOnlyList<(int Step, double Loss)> History => history;

    /// <summary>Time since this object was created.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Remaining time at the current rate: elapsed · (total − step) / step; null before the first step.</summary>
    public TimeSpan? Eta => history.Count == 0 || history[^1].Step <= 0 ? null
        : TimeSpan.FromTicks((long)(Elapsed.Ticks * (double)(TotalSteps - history[^1].Step) / history[^1].Step));

    /// <summary>Records the loss after step <paramref name="step"/> (1-based) and redraws when due.</summary>
    /// <exception cref="Companion.KeyboardInterruptException">The notebook cell was interrupted (see <see cref="Companion.Interruption"/>).</exception>
    public void Report(int step, double loss)
    {
        Companion.Interruption.Check();
        history.Add((step, loss));
        var now = clock.Elapsed;
        if (show is not null && (step >= TotalSteps || lastShown is null || now - lastShown.Value >= interval))
        {
            lastShown = now;
            show(Html());
        }
    }

    /// <summary>Redraws now (e.g. after stopping early).</summary>
    public void Flush() => show?.Invoke(Html());

    /// <summary>The current view: title, step i/N, loss, elapsed, ETA, and the loss curve.</summary>
    public string Html()
    {
        var sb = new StringBuilder();
        var (step, loss) = history.Count > 0 ? history[^1] : (0, double.NaN);
        var done = step >= TotalSteps;
        sb.Append("<div class=\"training-progress\" style=\"font-family:monospace;font-size:13px\">");
        sb.Append(CultureInfo.InvariantCulture, $"<div><b>{WebUtility.HtmlEncode(Title)}</b> — step {step}/{TotalSteps}");
        sb.Append(CultureInfo.InvariantCulture, $" · loss {loss:G4} · elapsed {Seconds(Elapsed)}");
        sb.Append(done ? " · done" : $" · ETA {(Eta is { } eta ? Seconds(eta) : "…")}");
        sb.Append("</div>");
        sb.Append(Curve());
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary>The same numbers as one line of text.</summary>
    public override string ToString()
    {
        var (step, loss) = history.Count > 0 ? history[^1] : (0, double.NaN);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Title}: step {step}/{TotalSteps}, loss {loss:G4}, elapsed {Seconds(Elapsed)}, ETA {(Eta is { } e ? Seconds(e) : "…")}");
    }

    static string Seconds(TimeSpan t) => t.TotalSeconds < 60
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)t.TotalMinutes} min {t.Seconds:00} s";

    /// <summary>Loss against step as an SVG polyline, log10 scale, at most <see cref="CurvePoints"/> points.</summary>
    string Curve()
    {
        var pts = history.Where(h => double.IsFinite(h.Loss) && h.Loss > 0).ToList();
        if (pts.Count < 2) return "";
        int stride = (pts.Count + CurvePoints - 1) / CurvePoints;
        var sampled = pts.Where((_, i) => i % stride == 0 || i == pts.Count - 1).ToList();
        double lo = sampled.Min(p => Math.Log10(p.Loss)), hi = sampled.Max(p => Math.Log10(p.Loss));
        if (hi - lo < 1e-12) hi = lo + 1;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" style=\"background:#f7f7f7\">");
        sb.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        foreach (var (s, l) in sampled)
        {
            double x = 2 + (Width - 4) * (double)s / TotalSteps;
            double y = 2 + (Height - 4) * (hi - Math.Log10(l)) / (hi - lo);
            sb.Append(CultureInfo.InvariantCulture, $"{x:0.0},{y:0.0} ");
        }
        sb.Append("\"/>");
        sb.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Width - 4}\" y=\"12\" font-size=\"10\" text-anchor=\"end\">{Math.Pow(10, hi):G3}</text>");
        sb.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Width - 4}\" y=\"{Height - 4}\" font-size=\"10\" text-anchor=\"end\">{Math.Pow(10, lo):G3} (log loss)</text>");
        return sb.Append("</svg>").ToString();
    }
}
