using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>
/// How many claims an executed notebook checked and how many of them failed, counted from its outputs (so it works with
/// any kernel that shows a cell's console output and errors). The lines are those printed by
/// <c>Companion.Claims.Claims</c> (lib/Companion/Claims/Claims.cs; the engine does not load that library, so the
/// prefixes are repeated here and a test ties them to it):
/// <list type="bullet">
/// <item>a stdout line starting with <see cref="HoldsPrefix"/>: a claim that holds (checked);</item>
/// <item>a stdout line starting with <see cref="NotHoldingPrefix"/>: a claim not holding under other parameters
/// (checked and failed);</item>
/// <item>an error output whose <c>ename</c> is <see cref="FailedExceptionName"/> (or ends in
/// <c>.ClaimFailedException</c>): a claim that failed at its written-for parameters (checked and failed).</item>
/// </list>
/// </summary>
/// <param name="Checked">Claims stated (holding or not).</param>
/// <param name="Failed">Claims that did not hold (not holding here, or failing their cell).</param>
public readonly record struct ClaimCount(int Checked, int Failed)
{
    /// <summary>The start of a holding claim's line (<c>Claims.HoldsPrefix</c>).</summary>
    public const string HoldsPrefix = "✔ claim holds: ";

    /// <summary>The start of the line of a claim not holding under other parameters (<c>Claims.NotHoldingPrefix</c>).</summary>
    public const string NotHoldingPrefix = "✘ claim not holding here";

    /// <summary>The exception a claim throws when it fails at its written-for parameters.</summary>
    public const string FailedExceptionName = "ClaimFailedException";

    /// <summary>No claims.</summary>
    public static ClaimCount None => default;

    /// <summary>The claims of every code cell of <paramref name="notebook"/>'s outputs.</summary>
    public static ClaimCount Of(Notebook notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var total = None;
        foreach (var (_, cell) in notebook.CodeCells) total += Of(cell.Outputs);
        return total;
    }

    /// <summary>The claims in one cell's outputs. Consecutive stdout chunks are joined first, so a line split over two
    /// stream outputs still counts once.</summary>
    public static ClaimCount Of(IEnumerable<JsonObject> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        int @checked = 0, failed = 0;
        var stdout = new System.Text.StringBuilder();
        foreach (var o in outputs)
        {
            var type = o["output_type"]?.GetValue<string>();
            if (type == "stream" && o["name"]?.GetValue<string>() == "stdout")
            {
                stdout.Append(Outputs.Text(o["text"]));
                continue;
            }
            stdout.Append('\n');
            if (type == "error" && o["ename"]?.GetValue<string>() is { } ename
                && (ename == FailedExceptionName || ename.EndsWith("." + FailedExceptionName, StringComparison.Ordinal)))
            {
                @checked++;
                failed++;
            }
        }
        foreach (var line in stdout.ToString().Split('\n'))
        {
            if (line.StartsWith(HoldsPrefix, StringComparison.Ordinal)) @checked++;
            else if (line.StartsWith(NotHoldingPrefix, StringComparison.Ordinal))
            {
                @checked++;
                failed++;
            }
        }
        return new ClaimCount(@checked, failed);
    }

    /// <summary>The counts of two parts together.</summary>
    public static ClaimCount operator +(ClaimCount a, ClaimCount b) => a.Add(b);

    /// <summary>The counts of this part and <paramref name="other"/> together.</summary>
    public ClaimCount Add(ClaimCount other) => new(Checked + other.Checked, Failed + other.Failed);

    /// <summary>"12 claims, 1 failed", "12 claims", or "no claims".</summary>
    public override string ToString() =>
        Checked == 0 ? "no claims" : Failed == 0 ? $"{Checked} claim{(Checked == 1 ? "" : "s")}"
            : $"{Checked} claim{(Checked == 1 ? "" : "s")}, {Failed} failed";
}
