using System.Globalization;
using System.Net;

namespace Companion.Data;

/// <summary>What a dataset request is doing: looking, waiting for another process, downloading, verifying, extracting, ready.</summary>
public enum DatasetStage
{
    Looking,
    Waiting,
    Downloading,
    Verifying,
    Extracting,
    Ready,
    Failed,
}

/// <summary>
/// One progress report of a dataset request. During a download: bytes so far, total (when the server says), rate and
/// ETA. A notebook shows it as one output updated in place, as <see cref="Companion.Data"/> never references the notebook
/// engine:
/// <code>
/// var view = display(HTML("mnist: looking…"));
/// var folder = Datasets.Require("mnist", "t10k", p => view.Update(HTML(p.ToHtml())));
/// </code>
/// and a terminal prints <see cref="ToString"/>.
/// </summary>
/// <param name="Dataset">Registry name.</param>
/// <param name="Stage">What is happening.</param>
/// <param name="Message">One line for people (e.g. "verified in ~/.cache/companion/datasets/mnist").</param>
public sealed record DatasetProgress(string Dataset, DatasetStage Stage, string Message)
{
    /// <summary>The file being transferred, when downloading.</summary>
    public string? File { get; init; }

    /// <summary>The URL being read, when downloading.</summary>
    public string? Url { get; init; }

    /// <summary>Bytes of the file present so far (including a resumed part).</summary>
    public long Bytes { get; init; }

    /// <summary>The file's total bytes, when known.</summary>
    public long? Total { get; init; }

    /// <summary>Bytes per second over this transfer.</summary>
    public double BytesPerSecond { get; init; }

    /// <summary>Time left at the current rate, when the total is known.</summary>
    public TimeSpan? Eta => Total is long t && BytesPerSecond > 0 ? TimeSpan.FromSeconds((t - Bytes) / BytesPerSecond) : null;

    /// <summary>"mnist: downloading t10k-images-idx3-ubyte.gz 0.8 / 1.6 MB (50 %), 2.1 MB/s, ETA 0.4 s".</summary>
    public override string ToString() => Stage == DatasetStage.Downloading
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Dataset}: downloading {File} {Mb(Bytes)}{(Total is long t ? $" / {Mb(t)} ({100.0 * Bytes / Math.Max(t, 1):0} %)" : "")}, " +
            $"{Mb((long)BytesPerSecond)}/s{(Eta is { } e ? $", ETA {e.TotalSeconds:0.0} s" : "")} from {Url}")
        : $"{Dataset}: {Message}";

    /// <summary>The same as a small HTML block with a progress bar while downloading.</summary>
    public string ToHtml()
    {
        var text = WebUtility.HtmlEncode(ToString());
        if (Stage != DatasetStage.Downloading || Total is not long t || t <= 0)
            return $"<div class=\"dataset-progress\" style=\"font-family:monospace;font-size:13px\">{text}</div>";
        var percent = Math.Clamp(100.0 * Bytes / t, 0, 100).ToString("0.0", CultureInfo.InvariantCulture);
        return "<div class=\"dataset-progress\" style=\"font-family:monospace;font-size:13px\">" +
            $"<div style=\"width:260px;height:8px;background:#eee\"><div style=\"width:{percent}%;height:8px;background:#1f77b4\"></div></div>{text}</div>";
    }

    static string Mb(long bytes) => (bytes / 1e6).ToString(bytes < 10_000_000 ? "0.00 MB" : "0.0 MB", CultureInfo.InvariantCulture);
}
