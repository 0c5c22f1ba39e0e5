#!/usr/bin/python3
"""Check notebooks executed by .NET Interactive (dotnet-repl) and compare them cell by cell with the project's runner.

    nbcompare.py --repl DIR --runner DIR [--render] NOTEBOOK_REL_PATH...

For each notebook (a path relative to both folders, e.g. ift6135-generative-ssl/q4-bilinear-game.ipynb):

* FAIL when the dotnet-repl run has an error output, a cell shows another number of Plotly figures than under the
  runner (a chart cell without a figure in either host), a figure comes before any inline plotly.js (it would not draw offline), an output
  refers to a script on the network, or (with --render) headless Chromium draws fewer plots than there are figures;
  also when the two runs differ in outcome (one errs where the other does not) or the notebooks' code differs.
* REPORT (printed, not failing) cells whose printed text (stream outputs) differs: cells may print timings or
  machine-dependent numbers. Displayed values are not compared (the two formatters differ by design).

Exit status 0 when no notebook fails. Runs under Debian's /usr/bin/python3 (standard library only).
"""
import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PLOTLY_JS_MARKER = "plotly.js v"  # header comment of the minified plotly.js that every first chart inlines
FIGURE_MARKER = "Plotly.newPlot("
PLOT_CONTAINER = 'class="plot-container plotly"'  # what plotly.js adds to a div it has drawn into
NETWORK_SCRIPT = re.compile(r"<script[^>]+src\s*=\s*[\"']?(https?:)?//", re.IGNORECASE)
MAX_DIFF_LINES = 12


def joined(value):
    """Jupyter stores multi-line strings as lists of lines; join them."""
    return "".join(value) if isinstance(value, list) else (value or "")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def code_cells(nb):
    return [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def normalise_text(text):
    """Printed text compared line by line, without trailing blanks or a trailing newline, \\r\\n as \\n."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def summarise(cell):
    """What a cell did: its errors, its printed text, and the HTML of each Plotly figure it displayed."""
    errors, text, figures, htmls = [], [], [], []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            errors.append(f"{out.get('ename', '')}: {out.get('evalue', '')}".strip())
        elif kind == "stream":
            text.append(joined(out.get("text")))
        elif kind in ("display_data", "execute_result", "update_display_data"):
            html = joined(out.get("data", {}).get("text/html"))
            if html:
                htmls.append(html)
                if FIGURE_MARKER in html:
                    figures.append(html)
    return {"errors": errors, "text": normalise_text("".join(text)), "figures": figures, "htmls": htmls}


def cell_label(index, cell):
    first = next((line.strip() for line in joined(cell.get("source")).split("\n") if line.strip()), "")
    return f"cell {index + 1} ({first[:50]})"


def offline_problems(nb):
    """Figures that could not draw offline: before any inline plotly.js, or pulling a script from the network."""
    problems, loaded = [], False
    for i, cell in enumerate(code_cells(nb)):
        for html in summarise(cell)["htmls"]:
            if NETWORK_SCRIPT.search(html):
                problems.append(f"{cell_label(i, cell)}: an output loads a script from the network")
            if PLOTLY_JS_MARKER in html:
                loaded = True
            if FIGURE_MARKER in html and not loaded:
                problems.append(f"{cell_label(i, cell)}: a figure comes before any inline plotly.js (draws nothing offline)")
    return problems


def same_source(repl_source, runner_source):
    """True when equal; "mangled" when equal but for characters that dotnet-repl wrote as U+FFFD (it splits some
    multi-byte UTF-8 characters when it writes its output notebook); False otherwise."""
    if repl_source == runner_source:
        return True
    if "\ufffd" not in repl_source:
        return False
    pattern = "".join(".{1,4}" if part.startswith("\ufffd") else re.escape(part)
                      for part in re.split("(\ufffd+)", repl_source) if part)
    return "mangled" if re.fullmatch(pattern, runner_source, re.DOTALL) else False


def compare(repl, runner):
    """(failures, reports) for one notebook: lists of strings."""
    failures, reports = [], []
    a, b = code_cells(repl), code_cells(runner)
    if len(a) != len(b):
        return [f"the two runs have different code cells ({len(a)} under dotnet-repl, {len(b)} under the runner)"], []
    for i, (ca, cb) in enumerate(zip(a, b)):
        sa, sb = summarise(ca), summarise(cb)
        label = cell_label(i, cb)
        same = same_source(joined(ca.get("source")), joined(cb.get("source")))
        if same is False:
            failures.append(f"{label}: the two runs have different sources for this cell")
            continue
        if same == "mangled":
            reports.append(f"{label}: dotnet-repl wrote a character of this cell's source as U+FFFD")
        for e in sa["errors"]:
            failures.append(f"{label}: error under dotnet-repl: {e[:300]}")
        if bool(sa["errors"]) != bool(sb["errors"]):
            failures.append(f"{label}: outcome differs: dotnet-repl {'error' if sa['errors'] else 'ok'}, "
                            f"runner {'error: ' + sb['errors'][0][:200] if sb['errors'] else 'ok'}")
        if len(sa["figures"]) != len(sb["figures"]):  # one chart API, one behaviour: the same figures in both
            failures.append(f"{label}: {len(sb['figures'])} chart(s) under the runner but "
                            f"{len(sa['figures'])} under dotnet-repl")
        if sa["text"] != sb["text"]:
            diff = list(difflib.unified_diff(sb["text"].split("\n"), sa["text"].split("\n"),
                                             "runner", "dotnet-repl", lineterm="", n=0))
            shown = diff[2:2 + MAX_DIFF_LINES] + (["  …"] if len(diff) > 2 + MAX_DIFF_LINES else [])
            reports.append(f"{label}: printed text differs\n    " + "\n    ".join(shown))
    failures.extend(offline_problems(repl))
    return failures, reports


def figure_page(nb):
    """Every text/html output of the notebook in order on one page, as a notebook front end shows them."""
    parts = [h for c in code_cells(nb) for h in summarise(c)["htmls"]]
    return '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>\n' + "\n".join(parts) + "\n</body></html>"


def count_figures(nb):
    return sum(len(summarise(c)["figures"]) for c in code_cells(nb))


def drawn_plots(html_path, browser):
    """Number of plots plotly.js drew in the page, read from the DOM after headless Chromium ran its scripts."""
    profile = tempfile.mkdtemp()
    try:
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--virtual-time-budget=20000", "--dump-dom", "file://" + os.path.abspath(html_path)],
            capture_output=True, text=True, timeout=180).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return dom.count(PLOT_CONTAINER)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repl", required=True, help="folder of notebooks executed by dotnet-repl")
    p.add_argument("--runner", required=True, help="folder of the same notebooks executed by the project's runner")
    p.add_argument("--render", action="store_true", help="also count the plots headless Chromium draws")
    p.add_argument("--browser", default=shutil.which("chromium") or "chromium")
    p.add_argument("notebooks", nargs="+")
    args = p.parse_args(argv)
    failed = 0
    for rel in args.notebooks:
        repl_path, runner_path = os.path.join(args.repl, rel), os.path.join(args.runner, rel)
        missing = [q for q in (repl_path, runner_path) if not os.path.exists(q)]
        if missing:
            print(f"FAIL {rel}: no executed notebook at {', '.join(missing)}")
            failed += 1
            continue
        repl = load(repl_path)
        failures, reports = compare(repl, load(runner_path))
        figures = count_figures(repl)
        if args.render and figures:
            page = repl_path[:-len(".ipynb")] + ".figures.html"
            with open(page, "w", encoding="utf-8") as f:
                f.write(figure_page(repl))
            drawn = drawn_plots(page, args.browser)
            if drawn != figures:
                failures.append(f"headless Chromium drew {drawn} of {figures} figures ({page})")
        cells = len(code_cells(repl))
        status = "FAIL" if failures else "ok  "
        print(f"{status} {rel}: {cells} code cells, {figures} figures"
              + (" drawn offline" if args.render and not failures else "")
              + (f", {len(reports)} difference(s) reported" if reports else ", same printed text"))
        for line in failures:
            print(f"  FAIL {line}")
        for line in reports:
            print(f"  diff {line}")
        failed += bool(failures)
    print(f"dotnet-repl vs runner: {len(args.notebooks) - failed} notebook(s) ok, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
