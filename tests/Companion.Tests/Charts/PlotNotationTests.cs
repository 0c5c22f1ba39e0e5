using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>
/// Sub- and superscripts in chart text (<c>Companion.Plotly.ChartText</c>), read back from the figure JSON: the
/// expected strings are written out by hand from the rules in the README ("Charts: colours, notation, axes").
/// </summary>
public class PlotNotationTests
{
    private static readonly double[] X = [0.0, 1.0];

    private static JsonElement Layout(Chart chart) => JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement.GetProperty("layout");

    private static string Title(string text) =>
        Layout(Plot.Lines(text, "x", "y", [new Series("s", X, X)])).GetProperty("title").GetProperty("text").GetString()!;

    [Theory]
    [InlineData("σ_θ", "σ<sub>θ</sub>")]
    [InlineData("p_θ(x)", "p<sub>θ</sub>(x)")]
    [InlineData("(1+α²)^(k/2)·‖(d₀, g₀)‖", "(1+α²)<sup>k/2</sup>·‖(d₀, g₀)‖")]
    [InlineData("D_KL[P_X ‖ P_F(U)]", "D<sub>KL</sub>[P<sub>X</sub> ‖ P<sub>F</sub>(U)]")]
    [InlineData("‖∂L/∂h_t‖", "‖∂L/∂h<sub>t</sub>‖")]
    [InlineData("2(ŷ−y)Wᶠ(Wʰ)^(T−t)", "2(ŷ−y)Wᶠ(Wʰ)<sup>T−t</sup>")]
    [InlineData("ρ^(T−t)", "ρ<sup>T−t</sup>")]
    [InlineData("‖x_k‖/ρ^k", "‖x<sub>k</sub>‖/ρ<sup>k</sup>")]
    [InlineData("σ_{i+1}(A)", "σ<sub>i+1</sub>(A)")]
    [InlineData("e^{−λ_0 t}", "e<sup>−λ<sub>0</sub> t</sup>")]
    [InlineData("layers R_(l+1)ᵀW_lR_l", "layers R<sub>l+1</sub>ᵀW<sub>l</sub>R<sub>l</sub>")]
    [InlineData("product UᵀW_totV", "product UᵀW<sub>tot</sub>V")]
    [InlineData("λ_min(H(t))", "λ<sub>min</sub>(H(t))")]
    [InlineData("‖W‖_F", "‖W‖<sub>F</sub>")]
    [InlineData("s_10 and x^−1", "s<sub>10</sub> and x<sup>−1</sup>")]
    [InlineData("E_v*‖∇R‖", "E<sub>v*</sub>‖∇R‖")]
    public void Sub_and_superscripts_become_plotly_tags(string text, string expected) => Assert.Equal(expected, Title(text));

    [Theory]
    [InlineData("max_steps = 5000")]
    [InlineData("learning_rate and x_train")]
    [InlineData("n_iter, 1_000 rows, __init__")]
    [InlineData("a ^ b, trailing_")]
    [InlineData("already σ<sub>θ</sub> and <b>bold</b>")]
    public void Identifiers_spaced_marks_and_existing_tags_stay_as_typed(string text) => Assert.Equal(text, Title(text));

    [Fact]
    public void An_escaped_mark_is_written_literally_and_markup_is_idempotent()
    {
        Assert.Equal("h&#95;t", Title("h\\_t"));
        Assert.Equal("h&#95;t", Title(Title("h\\_t")));
        Assert.Equal("σ<sub>θ</sub>", Title(Title("σ_θ")));
    }

    [Fact]
    public void Notation_is_applied_to_axis_titles_legend_names_subtitles_colour_bars_and_slider_labels()
    {
        var lines = Plot.Lines("t", "step k", "‖x_k‖", [new Series("h_t", X, X), new Series("p_θ", X, X)]);
        var layout = Layout(lines);
        Assert.Equal("‖x<sub>k</sub>‖", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
        var names = JsonDocument.Parse(Plot.ToFigureJson(lines)).RootElement.GetProperty("data").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["h<sub>t</sub>", "p<sub>θ</sub>"], names);

        var grid = Layout(Plot.Grid("G", 1, 1, [lines], ["σ_θ panel"]));
        Assert.Equal("<b>σ<sub>θ</sub> panel</b>", grid.GetProperty("annotations")[0].GetProperty("text").GetString());

        var heat = JsonDocument.Parse(Plot.ToFigureJson(Plot.Heatmap("h", "j", "i", new double[,] { { 1, 2 } }, "|∂y_33/∂x|")))
            .RootElement.GetProperty("data")[0];
        Assert.Equal("|∂y<sub>33</sub>/∂x|", heat.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());

        var slider = Layout(Plot.LinesWithSlider("t", "x", "y", "ρ(W_h) = ", [("ρ_1", (IReadOnlyList<Series>)[new Series("a", X, X)])]))
            .GetProperty("sliders")[0];
        Assert.Equal("ρ(W<sub>h</sub>) = ", slider.GetProperty("currentvalue").GetProperty("prefix").GetString());
        Assert.Equal("ρ<sub>1</sub>", slider.GetProperty("steps")[0].GetProperty("label").GetString());
    }

    [Fact]
    public void The_standalone_page_title_and_the_text_summary_carry_no_tags()
    {
        var chart = Plot.Lines("σ_θ against k", "x", "y", [new Series("s", X, X)]);
        Assert.Contains("<title>σθ against k</title>", Plot.ToStandaloneHtml(chart), StringComparison.Ordinal);
        Assert.Equal("Plotly chart: σθ against k", chart.ToString());
    }

    [Fact]
    public void A_title_wider_than_the_figure_wraps_at_spaces_and_the_top_margin_grows_with_it()
    {
        const string Long = "Fashion-MNIST (padded to 32×32×3; no CIFAR-10 path given): 2-D embeddings of 1000 training images of σ_θ";
        var single = Layout(Plot.Lines("short σ_θ", "x", "y", [new Series("s", X, X)]));
        var wrapped = Layout(Plot.Lines(Long, "x", "y", [new Series("s", X, X)]));
        Assert.DoesNotContain("<br>", single.GetProperty("title").GetProperty("text").GetString());
        var text = wrapped.GetProperty("title").GetProperty("text").GetString()!;
        var lines = text.Split("<br>");
        Assert.True(lines.Length >= 2, text);
        // Nothing lost or reordered: the lines joined by spaces are the one-line markup.
        Assert.Equal("Fashion-MNIST (padded to 32×32×3; no CIFAR-10 path given): 2-D embeddings of 1000 training images of σ<sub>θ</sub>", string.Join(" ", lines));
        // The text twin reads the wrapped title as one line: words on either side of a break stay apart.
        Assert.Equal("Plotly chart: Fashion-MNIST (padded to 32×32×3; no CIFAR-10 path given): 2-D embeddings of 1000 training images of σθ",
            Plot.Lines(Long, "x", "y", [new Series("s", X, X)]).ToString());
        var width = wrapped.GetProperty("width").GetInt32();
        foreach (var line in lines)
            Assert.True(System.Text.RegularExpressions.Regex.Replace(line, "<[^>]*>", "").Length * 10 <= width - 40, $"'{line}' is wider than {width} px");
        var extra = single.GetProperty("margin").GetProperty("t").GetInt32() + 24 * (lines.Length - 1);
        Assert.Equal(extra, wrapped.GetProperty("margin").GetProperty("t").GetInt32());
        Assert.Equal(single.GetProperty("height").GetInt32() + 24 * (lines.Length - 1), wrapped.GetProperty("height").GetInt32());

        var panel = Plot.Lines("p", "x", "y", [new Series("s", X, X)]);
        var shortGrid = Layout(Plot.Grid("g", 1, 2, [panel, panel]));
        var longGrid = Layout(Plot.Grid(Long, 1, 2, [panel, panel]));
        var gridLines = longGrid.GetProperty("title").GetProperty("text").GetString()!.Split("<br>").Length;
        Assert.True(gridLines >= 2);
        Assert.Equal(shortGrid.GetProperty("margin").GetProperty("t").GetInt32() + 24 * (gridLines - 1),
            longGrid.GetProperty("margin").GetProperty("t").GetInt32());
        // The legend keeps its place under the panels: the plot area is unchanged, so is its offset.
        Assert.Equal(shortGrid.GetProperty("legend").GetProperty("y").GetDouble(), longGrid.GetProperty("legend").GetProperty("y").GetDouble(), 9);
    }
}
