using System.Text.RegularExpressions;
using Companion.Notebooks;

namespace Companion.Notebooks.Tests;

/// <summary>
/// The form a student can work in (issue 21): code cells of at most <see cref="MaxLogicLines"/> lines of logic, code
/// lines of at most <see cref="MaxLineLength"/> characters, every parameter (in every cell tagged <c>parameters</c>) commented, and a first markdown cell that
/// says how to change a parameter (in Jupyter and with the runner's <c>-p</c>).
/// </summary>
public partial class NotebookFormTests
{
    /// <summary>Most lines of logic in one code cell.</summary>
    public const int MaxLogicLines = 15;

    /// <summary>Longest code line, in characters.</summary>
    public const int MaxLineLength = 120;

    [GeneratedRegex(@"^[\s{}()\[\];,]*$")]
    private static partial Regex PunctuationOnly();

    /// <summary>Lines that are not blank, not comment-only and not punctuation-only (a lone brace, <c>});</c>).</summary>
    public static int LogicLines(string source) =>
        source.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)
                                      && !l.TrimStart().StartsWith('#') && !PunctuationOnly().IsMatch(l));

    /// <summary>Names declared in a parameters cell with no <c>//</c> comment on their line or the line above.</summary>
    public static List<string> UncommentedParameters(string source)
    {
        var lines = source.Split('\n');
        var missing = new List<string>();
        foreach (var name in NotebookParameters.DeclaredNames(source))
        {
            int i = Array.FindIndex(lines, l => Regex.IsMatch(l, $@"^\s*[\w<>\[\],\s]+\s{Regex.Escape(name)}\s*="));
            if (i < 0) continue;
            bool commented = lines[i].Contains("//", StringComparison.Ordinal)
                             || (i > 0 && lines[i - 1].TrimStart().StartsWith("//", StringComparison.Ordinal));
            if (!commented) missing.Add(name);
        }
        return missing;
    }

    static Notebook Read(string relativePath) =>
        NotebookFile.Read(Path.Combine(TestNotebooks.RepoRoot(), "notebooks", relativePath));

    [Fact]
    public void The_logic_line_count_ignores_blanks_comments_and_braces()
    {
        const string cell = "var x = 1;\n\n// a comment\nif (x > 0)\n{\n    x++;\n}\n});\n#r \"nuget: X\"\n";
        Assert.Equal(3, LogicLines(cell));
    }

    [Fact]
    public void An_uncommented_parameter_is_found()
    {
        const string cell = "// steps of gradient descent, 10–10⁴\nint steps = 300;\ndouble lr = 0.1; // learning rate\nint seed = 0;\n";
        Assert.Equal(["seed"], UncommentedParameters(cell));
    }

    [Theory]
    [MemberData(nameof(AllNotebooksTests.Notebooks), MemberType = typeof(AllNotebooksTests))]
    public void Code_cells_are_short_and_lines_narrow(string relativePath)
    {
        var problems = new List<string>();
        foreach (var (cell, n) in Read(relativePath).Cells.Select((c, i) => (c, i + 1)).Where(p => p.c.Kind == CellKind.Code))
        {
            int logic = LogicLines(cell.Source);
            if (logic > MaxLogicLines) problems.Add($"cell {n} (id {cell.Id}): {logic} lines of logic (at most {MaxLogicLines})");
            foreach (var (line, k) in cell.Source.Split('\n').Select((l, k) => (l, k + 1)).Where(p => p.l.Length > MaxLineLength))
                problems.Add($"cell {n} (id {cell.Id}) line {k}: {line.Length} characters (at most {MaxLineLength})");
        }
        Assert.True(problems.Count == 0, $"{relativePath}:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(AllNotebooksTests.Notebooks), MemberType = typeof(AllNotebooksTests))]
    public void Parameters_are_commented_and_the_first_cell_says_how_to_change_them(string relativePath)
    {
        var nb = Read(relativePath);
        var first = nb.Cells.First(c => c.Kind == CellKind.Markdown).Source;
        Assert.True(first.Contains("parameters cell", StringComparison.OrdinalIgnoreCase) && first.Contains("-p ", StringComparison.Ordinal),
            $"{relativePath}: the first markdown cell should say how to change a parameter (the parameters cell, and nbrun's -p)");
        var parameters = nb.Cells.Where(c => c.Kind == CellKind.Code && c.Tags.Contains("parameters")).ToList();
        Assert.True(parameters.Count > 0, $"{relativePath}: no code cell is tagged parameters");
        var missing = parameters.SelectMany(c => UncommentedParameters(c.Source)).ToList();
        Assert.True(missing.Count == 0, $"{relativePath}: parameters without a comment (meaning and range): {string.Join(", ", missing)}");
    }
}
