using System.Text.Json.Nodes;
using Companion.Runner;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Claims are counted from an executed notebook's outputs, and the runner reports them.</summary>
public class ClaimCountTests
{
    static Notebook WithOutputs(params JsonObject[][] cells)
    {
        var nb = Make(cells.Select(_ => "1").ToArray());
        for (int i = 0; i < cells.Length; i++) nb.Cells[i].Outputs.AddRange(cells[i]);
        return nb;
    }

    [Fact]
    public void Holding_lines_not_holding_lines_and_failing_claims_are_counted()
    {
        var nb = WithOutputs(
            [Outputs.Stream("stdout", "✔ claim holds: a\nsome other line\n✔ claim holds: b\n")],
            [Outputs.Stream("stdout", "✘ claim not holding here (seed = 1, written for 0): c\n"),
             Outputs.Stream("stderr", "✔ claim holds: on stderr, not a claim line\n")],
            [Outputs.Stream("stdout", "✔ claim holds: d\n"),
             Outputs.Error("Companion.Claims.ClaimFailedException", "Claim does not hold …", ["Cell 3: …"])],
            [Outputs.Error("System.InvalidOperationException", "✔ claim holds: in an error", ["x"])]);
        Assert.Equal(new ClaimCount(5, 2), ClaimCount.Of(nb));
    }

    [Fact]
    public void A_line_split_over_two_stream_outputs_counts_once_and_mid_line_text_does_not_count()
    {
        var nb = WithOutputs([Outputs.Stream("stdout", "✔ claim "), Outputs.Stream("stdout", "holds: x\nsee ✔ claim holds: no\n")]);
        Assert.Equal(new ClaimCount(1, 0), ClaimCount.Of(nb));
        Assert.Equal(ClaimCount.None, ClaimCount.Of(Make("1")));
        Assert.Equal("no claims", ClaimCount.None.ToString());
        Assert.Equal("3 claims, 1 failed", new ClaimCount(3, 1).ToString());
    }

    /// <summary>End to end with the library's own <c>Claims</c> (loaded by <c>#r</c> as notebooks do): the prefixes the
    /// engine counts are the ones the library prints and the exception it throws.</summary>
    [Fact]
    public async Task The_runner_reports_the_claims_of_the_library_in_report_json_the_table_and_the_index()
    {
        var dll = Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        var nb = Make($"#r \"{dll}\"\nusing Companion.Claims;",
            "Claims.Check(1 < 2, \"one is below two\");\nClaims.Below(\"a gap\", 1e-12, 1e-10);",
            "Claims.WrittenFor(new { seed = 0 }, new { seed = 1 });\nClaims.Check(false, \"a claim for seed 0\");",
            "Claims.WrittenFor(new { seed = 0 }, new { seed = 0 });\nClaims.Above(\"a value\", 1, 2);");
        var src = TempDir();
        Save(nb, src, "hw/claims.ipynb");
        Save(Make("var x = 1;"), src, "hw/none.ipynb");
        var outDir = Path.Combine(TempDir(), "out");
        var log = new StringWriter();

        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([src, "-o", outDir, "--continue-on-error"]), log);

        Assert.Equal(1, code);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        var entries = report["notebooks"]!.AsArray().ToDictionary(n => n!["notebook"]!.GetValue<string>(), n => n!);
        Assert.Equal(4, entries["hw/claims.ipynb"]["claims"]!["checked"]!.GetValue<int>());
        Assert.Equal(2, entries["hw/claims.ipynb"]["claims"]!["failed"]!.GetValue<int>());
        Assert.Equal(0, entries["hw/none.ipynb"]["claims"]!["checked"]!.GetValue<int>());
        Assert.Equal(4, report["claims"]!["checked"]!.GetValue<int>());
        var text = log.ToString();
        Assert.Matches(@"hw/claims\s+FAILED\s+\S+ s\s+0\s+4 \(2✘\)", text);
        Assert.Contains("claims: 4 checked, 2 not holding", text);
        var index = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("· 4 claims, <span class=\"bad\">2 not holding</span>", index);
        Assert.Contains("4 claims checked, <span class=\"bad\">2 not holding</span>.", index);
    }
}
