#!/usr/bin/python3
"""Tests of nbcompare.py on small hand-made notebooks: /usr/bin/python3 -m unittest discover -s .ci -p 'test_*.py'"""
import json
import os
import shutil
import tempfile
import unittest

import nbcompare

PLOTLY_JS = "<script type=\"text/javascript\">/**\n* plotly.js v2.28.0\n*/ var Plotly = {};</script>"
FIGURE = "<div id=\"f\"></div><script>Plotly.newPlot('f', [], {}, {});</script>"


def cell(source, *outputs):
    return {"cell_type": "code", "source": source, "outputs": list(outputs), "metadata": {}}


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def html(text):
    return {"output_type": "display_data", "data": {"text/html": text}, "metadata": {}}


def error(message):
    return {"output_type": "error", "ename": "Error", "evalue": message, "traceback": []}


def notebook(*cells):
    return {"cells": [{"cell_type": "markdown", "source": "# t"}] + list(cells), "metadata": {}}


class CompareTests(unittest.TestCase):
    def test_identical_runs_have_no_failure_and_no_report(self):
        nb = notebook(cell("Console.WriteLine(1);", stream("1\n")), cell("chart", html(PLOTLY_JS + FIGURE)))
        self.assertEqual(nbcompare.compare(nb, nb), ([], []))

    def test_a_png_beside_the_chart_html_changes_nothing(self):
        # nbrun --png puts image/png into the chart's bundle (for viewers without JavaScript); it is the same figure.
        with_png = {"output_type": "display_data", "metadata": {},
                    "data": {"text/html": PLOTLY_JS + FIGURE, "image/png": "iVBORw0KGgo=", "text/plain": "Plotly chart"}}
        repl = notebook(cell("chart", html(PLOTLY_JS + FIGURE)))
        runner = notebook(cell("chart", with_png))
        self.assertEqual(nbcompare.compare(repl, runner), ([], []))
        self.assertEqual(nbcompare.count_figures(runner), 1)

    def test_printed_text_compares_without_trailing_blanks_and_line_ending_style(self):
        repl = notebook(cell("x", stream(["a  \r\n", "b\r\n\r\n"])))
        runner = notebook(cell("x", stream("a\nb\n")))
        self.assertEqual(nbcompare.compare(repl, runner), ([], []))

    def test_different_printed_text_is_reported_with_a_diff_but_does_not_fail(self):
        failures, reports = nbcompare.compare(notebook(cell("x", stream("t = 0.31 s\n"))),
                                              notebook(cell("x", stream("t = 0.29 s\n"))))
        self.assertEqual(failures, [])
        self.assertEqual(len(reports), 1)
        self.assertIn("-t = 0.29 s", reports[0])
        self.assertIn("+t = 0.31 s", reports[0])

    def test_an_error_under_dotnet_repl_fails_and_names_the_cell(self):
        failures, _ = nbcompare.compare(notebook(cell("Plot.Lines(...)", error("Could not load FSharp.Core"))),
                                        notebook(cell("Plot.Lines(...)", html(PLOTLY_JS + FIGURE))))
        self.assertTrue(any("cell 1 (Plot.Lines(...))" in f and "FSharp.Core" in f for f in failures), failures)
        self.assertTrue(any("outcome differs" in f for f in failures), failures)
        self.assertTrue(any("1 chart(s) under the runner but 0 under dotnet-repl" in f for f in failures), failures)

    def test_a_chart_that_only_dotnet_repl_draws_fails_too(self):
        failures, _ = nbcompare.compare(notebook(cell("c", html(PLOTLY_JS + FIGURE))),
                                        notebook(cell("c", {"output_type": "execute_result", "data": {"text/plain": "Chart"}})))
        self.assertEqual(failures, ["cell 1 (c): 0 chart(s) under the runner but 1 under dotnet-repl"])

    def test_an_error_only_under_the_runner_is_an_outcome_difference(self):
        failures, _ = nbcompare.compare(notebook(cell("x", stream("ok\n"))), notebook(cell("x", error("boom"))))
        self.assertEqual(len(failures), 1)
        self.assertIn("runner error: Error: boom", failures[0])

    def test_a_figure_before_any_inline_plotly_js_fails_as_not_drawing_offline(self):
        nb = notebook(cell("chart", html(FIGURE)), cell("chart", html(PLOTLY_JS + FIGURE)))
        failures, _ = nbcompare.compare(nb, nb)
        self.assertEqual(len(failures), 1)
        self.assertIn("cell 1", failures[0])
        self.assertIn("before any inline plotly.js", failures[0])

    def test_fragments_after_one_inline_plotly_js_draw_offline(self):
        nb = notebook(cell("a", html(PLOTLY_JS + FIGURE)), cell("b", html(FIGURE), html(FIGURE)))
        self.assertEqual(nbcompare.offline_problems(nb), [])
        self.assertEqual(nbcompare.count_figures(nb), 3)

    def test_a_script_from_a_cdn_fails(self):
        nb = notebook(cell("c", html('<script src="https://cdn.plot.ly/plotly-2.28.0.min.js"></script>' + FIGURE)))
        self.assertTrue(any("network" in p for p in nbcompare.offline_problems(nb)))

    def test_different_code_cells_fail(self):
        failures, reports = nbcompare.compare(notebook(cell("a")), notebook(cell("b")))
        self.assertEqual(failures, ["cell 1 (b): the two runs have different sources for this cell"])
        failures, _ = nbcompare.compare(notebook(cell("a")), notebook(cell("a"), cell("b")))
        self.assertIn("different code cells (1 under dotnet-repl, 2 under the runner)", failures[0])

    def test_a_source_character_that_dotnet_repl_wrote_as_replacement_characters_is_reported_only(self):
        # seen with dotnet-repl 0.3.259: "1 ≤ i" in a comment came back as "1 \ufffd\ufffd i"
        repl = notebook(cell("// 1 \ufffd\ufffd i\nvar x = 1;", stream("1\n")))
        runner = notebook(cell("// 1 ≤ i\nvar x = 1;", stream("1\n")))
        failures, reports = nbcompare.compare(repl, runner)
        self.assertEqual(failures, [])
        self.assertEqual(reports, ["cell 1 (// 1 ≤ i): dotnet-repl wrote a character of this cell's source as U+FFFD"])
        self.assertIs(nbcompare.same_source("// \ufffd\ufffd\nvar y = 2;", "// ≤\nvar x = 1;"), False)

    def test_html_outputs_without_a_figure_are_not_charts(self):
        installing = html("<div><strong>Installed Packages</strong><ul><li>MathNet.Numerics, 5.0.0</li></ul></div>")
        nb = notebook(cell("#r \"nuget: MathNet.Numerics, 5.0.0\"", installing))
        self.assertEqual(nbcompare.count_figures(nb), 0)
        self.assertEqual(nbcompare.compare(nb, notebook(cell("#r \"nuget: MathNet.Numerics, 5.0.0\""))), ([], []))


class MainTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, side, nb):
        path = os.path.join(self.dir, side, "hw", "q.ipynb")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f)

    def run_main(self):
        return nbcompare.main(["--repl", os.path.join(self.dir, "repl"), "--runner", os.path.join(self.dir, "runner"),
                               "hw/q.ipynb"])

    def test_exit_status_is_0_for_matching_runs_and_1_for_a_failing_one(self):
        good = notebook(cell("x", stream("1\n")))
        self.write("repl", good)
        self.write("runner", good)
        self.assertEqual(self.run_main(), 0)
        self.write("repl", notebook(cell("x", error("boom"))))
        self.assertEqual(self.run_main(), 1)

    def test_a_missing_executed_notebook_fails(self):
        self.write("runner", notebook(cell("x")))
        self.assertEqual(self.run_main(), 1)


@unittest.skipUnless(shutil.which("chromium"), "needs Debian's chromium")
class RenderTests(unittest.TestCase):
    """Headless Chromium counts the plots plotly.js drew: a fake 'Plotly' that draws nothing is caught."""

    def test_a_page_whose_plotly_draws_nothing_counts_zero_plots(self):
        nb = notebook(cell("c", html(PLOTLY_JS + FIGURE)))
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
            f.write(nbcompare.figure_page(nb))
        try:
            self.assertEqual(nbcompare.drawn_plots(f.name, shutil.which("chromium")), 0)
        finally:
            os.unlink(f.name)

    def test_a_page_with_a_real_plotly_js_counts_each_drawn_plot(self):
        js = os.environ.get("PLOTLY_JS")  # set by .ci/dotnet-interactive to a real plotly.min.js
        if not js:
            self.skipTest("PLOTLY_JS not set")
        with open(js, encoding="utf-8") as f:
            inline = '<script type="text/javascript">' + f.read() + "</script>"
        two = "".join(f"<div id=\"p{i}\"></div><script>Plotly.newPlot('p{i}', [{{\"y\": [1, 2]}}], {{}}, {{}});</script>"
                      for i in range(2))
        nb = notebook(cell("c", html(inline + two)))
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
            f.write(nbcompare.figure_page(nb))
        try:
            self.assertEqual(nbcompare.drawn_plots(f.name, shutil.which("chromium")), 2)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
