using Companion.Grader;

namespace Companion.Grader.Tests;

public class MarkersTests
{
    [Fact]
    public void A_solution_region_becomes_a_stub_naming_the_question_at_the_regions_indentation()
    {
        var src = "static int F(int x)\n{\n    // BEGIN SOLUTION\n    return 2 * x;\n    // END SOLUTION\n}";
        var m = Markers.Split(src, markdown: false, "q1", "nb.ipynb, cell 3");
        Assert.Equal(1, m.Regions);
        Assert.Equal("static int F(int x)\n{\n    throw new NotImplementedException(\"q1: replace this line with your code\");\n}", m.Student);
        Assert.Equal("static int F(int x)\n{\n    return 2 * x;\n}", m.Solution);
    }

    [Fact]
    public void A_prompt_before_a_region_replaces_it_uncommented_and_is_dropped_from_the_solution()
    {
        var src = "// BEGIN PROMPT\n// var w = 0.0; // your value\n// END PROMPT\n// BEGIN SOLUTION\nvar w = 1.5;\n// END SOLUTION\nw";
        var m = Markers.Split(src, false, "q2", "cell");
        Assert.Equal("var w = 0.0; // your value\nw", m.Student);
        Assert.Equal("var w = 1.5;\nw", m.Solution);
    }

    [Fact]
    public void Markdown_regions_use_html_comments_and_a_placeholder()
    {
        var m = Markers.Split("Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->", true, "q3", "cell");
        Assert.Equal("Why?\n" + Markers.MarkdownPlaceholder, m.Student);
        Assert.Equal("Why?\nBecause.", m.Solution);
        Assert.False(Markers.HasSolution("// BEGIN SOLUTION", markdown: true));
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nx\n// BEGIN SOLUTION", "cell 4, line 3: BEGIN SOLUTION inside the SOLUTION region opened at line 1")]
    [InlineData("x\n// END SOLUTION", "cell 4, line 2: END SOLUTION without a BEGIN SOLUTION")]
    [InlineData("a\n// BEGIN SOLUTION\nx", "cell 4, line 2: BEGIN SOLUTION is never closed (END SOLUTION missing)")]
    [InlineData("// BEGIN PROMPT\n// END SOLUTION", "cell 4, line 2: END SOLUTION inside the PROMPT region opened at line 1")]
    public void Unbalanced_markers_are_errors_naming_the_cell_and_line(string src, string message)
    {
        var e = Assert.Throws<GraderFormatException>(() => Markers.Split(src, false, "q1", "nb.ipynb, cell 4"));
        Assert.Equal("nb.ipynb, " + message, e.Message);
    }
}
