using System.Net;
using System.Net.Sockets;
using Companion.Testing;
using Microsoft.Playwright;

namespace Companion.Kernel.Tests;

/// <summary>
/// A real browser session: Debian's Jupyter Notebook server on 127.0.0.1 serves a copy of one of the project's
/// notebooks, headless Debian Chromium (driven by Playwright, never a downloaded browser) opens it, which starts this
/// kernel by the notebook's own kernelspec name, runs all cells from the Cell menu, and the page must then show a
/// drawn Plotly chart (its SVG) and no error output. The screenshot is saved to out/test-artifacts/.
/// </summary>
public class BrowserTests : IClassFixture<Jupyter>
{
    const string Notebook = "ift6135-generative-ssl/q4-bilinear-game.ipynb";

    /// <summary>How long the server, the kernel and all cells may take on a loaded 2-core machine.</summary>
    static readonly TimeSpan ServerStart = TimeSpan.FromSeconds(60);
    const float RunAllTimeoutMs = 300_000;

    readonly Jupyter jupyter;
    public BrowserTests(Jupyter jupyter) => this.jupyter = jupyter;

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Runs all cells, then as a student does: re-runs the first chart cell, saves, reloads the page (offline:
    /// nothing but 127.0.0.1 answers), and every chart output must draw again; opening and reopening do not mark the
    /// notebook modified, saving keeps its kernelspec metadata; with plotly.js blocked, every chart says to re-run.</summary>
    [SkippableFact]
    public async Task Notebook_runs_all_cells_in_jupyter_notebook_and_its_charts_survive_saving_and_reopening()
    {
        ToolRequirements.Require(ToolRequirements.MissingChromium(), ToolRequirements.MissingPythonModules("notebook", "jupyter_client", "zmq"));
        var repo = Jupyter.RepoRoot();
        // A copy, so the server's autosave never touches the source notebook; lib/ is linked so the notebook's
        // #r "../../lib/Companion/bin/Companion.dll" resolves as in the repository.
        var site = Path.Combine(jupyter.Root, "site");
        var copy = Path.Combine(site, "notebooks", Notebook);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(repo, "notebooks", Notebook), copy);
        Directory.CreateSymbolicLink(Path.Combine(site, "lib"), Path.Combine(repo, "lib"));

        await WithNotebookPage(site, Notebook, async (page, consoleErrors) =>
        {
            // The notebook names kernelspec .net-csharp: the server started this kernel without asking.
            var kernelName = await page.EvaluateAsync<string>("() => Jupyter.notebook.kernel.name");
            Assert.Equal(KernelSpec.NotebookName, kernelName);
            // The kernel menus list each kernelspec under its own name ("C# (Companion)" and ".NET (C#)", not twice).
            var kernelMenu = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#menu-change-kernel-submenu a')].map(a => a.textContent.trim())");
            Assert.Contains("C# (Companion)", kernelMenu);
            Assert.Contains(KernelSpec.NotebookDisplayName, kernelMenu);
            Assert.Equal(kernelMenu.Length, kernelMenu.Distinct().Count());
            await page.WaitForTimeoutAsync(1000); // kernel_info's metadata updates land after the connection
            Assert.False(await page.EvaluateAsync<bool>("() => Jupyter.notebook.dirty"), "opening the notebook marked it modified; its metadata now: " +
                await page.EvaluateAsync<string>("() => JSON.stringify(Jupyter.notebook.metadata)"));

            await page.ClickAsync("#celllink");
            await page.ClickAsync("#run_all_cells");
            await WaitForAllCells(page);
            try { await page.WaitForSelectorAsync(".output_area svg.main-svg", new() { Timeout = 30_000 }); }
            catch (TimeoutException) { } // asserted below, after the screenshot

            var charts = await page.Locator(".output_area .js-plotly-plot").CountAsync();
            var svgs = await page.Locator(".output_area svg.main-svg").CountAsync();
            var errors = await page.Locator(".output_error").AllInnerTextsAsync();
            var codeCells = await page.EvaluateAsync<int>("() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').length");

            var shot = Path.Combine(repo, "out", "test-artifacts", "jupyter-notebook-q4-bilinear-game.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await ShowFirstChart(page);
            await page.ScreenshotAsync(new() { Path = shot });

            Assert.True(errors.Count == 0, "error outputs in the page:\n" + string.Join("\n", errors));
            Assert.True(svgs > 0 && charts > 0, $"no drawn Plotly chart ({charts} plot divs, {svgs} SVGs); console errors: " +
                string.Join(" | ", consoleErrors));
            Assert.True(codeCells > 5, $"only {codeCells} code cells in the page");
            var chartOutputs = await ChartOutputs(page);
            Assert.True(chartOutputs.Total >= 2, $"the notebook shows {chartOutputs.Total} chart outputs, the test needs several");
            await WaitForDrawn(page, chartOutputs.Total);

            // Re-run the first chart cell (its new output is the one that used to carry plotly.js), save, reload.
            var firstChartCell = await page.EvaluateAsync<int>("""
                () => Jupyter.notebook.get_cells().findIndex(c => c.element[0].querySelector('.companion-plotly-missing'))
                """);
            var before = await page.EvaluateAsync<int>($"() => Jupyter.notebook.get_cell({firstChartCell}).input_prompt_number");
            await page.EvaluateAsync($"() => Jupyter.notebook.execute_cells([{firstChartCell}])");
            await page.WaitForFunctionAsync($"""
                () => {'{'} const c = Jupyter.notebook.get_cell({firstChartCell});
                        return typeof c.input_prompt_number === 'number' && c.input_prompt_number > {before}
                               && Jupyter.notebook.kernel_busy === false && c.element[0].querySelector('svg.main-svg'); {'}'}
                """, null, new() { Timeout = RunAllTimeoutMs, PollingInterval = 300 });
            await page.ClickAsync("#filelink");
            await page.ClickAsync("#save_checkpoint");
            await page.WaitForFunctionAsync("() => Jupyter.notebook.dirty === false", null, new() { Timeout = 30_000 });
            var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(copy))!;
            var source = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "notebooks", Notebook)))!;
            Assert.Equal(source["metadata"]!["kernelspec"]!.ToJsonString(), saved["metadata"]!["kernelspec"]!.ToJsonString());
            Assert.Equal(source["metadata"]!["language_info"]!.ToJsonString(), saved["metadata"]!["language_info"]!.ToJsonString());
            var savedCharts = saved["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? [])
                .Count(o => o!["data"]?[Companion.Notebooks.ChartLoader.PlotlyMimeType] is System.Text.Json.Nodes.JsonObject);
            Assert.Equal(chartOutputs.Total, savedCharts);

            consoleErrors.Clear();
            await page.ReloadAsync();
            await WaitForKernel(page);
            Assert.True(await page.EvaluateAsync<bool>("() => Jupyter.notebook.trusted"), "the saved notebook is not trusted after reload");
            await WaitForDrawn(page, chartOutputs.Total);
            var reopened = await ChartOutputs(page);
            await ShowFirstChart(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(repo, "out", "test-artifacts", "jupyter-notebook-reopened.png") });
            Assert.Equal(chartOutputs.Total, reopened.Total);
            Assert.True(reopened.Drawn == reopened.Total, $"after saving and reopening, {reopened.Drawn} of {reopened.Total} chart outputs draw; console errors: " +
                string.Join(" | ", consoleErrors));
            Assert.Equal(0, reopened.Unreachable);
            Assert.DoesNotContain(consoleErrors, e => e.Contains("Plotly is not defined", StringComparison.Ordinal));
            await page.WaitForTimeoutAsync(1000);
            Assert.False(await page.EvaluateAsync<bool>("() => Jupyter.notebook.dirty"), "reopening the saved notebook marked it modified");

            // With no copy of plotly.js reachable (nbextension and folder blocked too), every chart says so.
            // (Notebook's require.js appends ?v=… to the address.)
            await page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/plotly\.min\.js(\?|$)"), r => r.AbortAsync());
            consoleErrors.Clear();
            await page.ReloadAsync();
            await WaitForKernel(page);
            try
            {
                await page.WaitForFunctionAsync($"""
                    () => [...document.querySelectorAll('.output_area .companion-plotly-missing')].filter(e => e.style.display === 'block').length === {chartOutputs.Total}
                    """, null, new() { Timeout = 60_000, PollingInterval = 300 });
            }
            catch (TimeoutException)
            {
                var state = await page.EvaluateAsync<string>("""
                    () => JSON.stringify({ plotly: !!window.Plotly, loader: !!window.companionPlotly, trusted: Jupyter.notebook.trusted,
                        shown: [...document.querySelectorAll('.output_area .companion-plotly-missing')].map(e => e.style.display),
                        svgs: document.querySelectorAll('.output_area svg.main-svg').length })
                    """);
                Assert.Fail($"with plotly.js blocked, not every chart output says so: {state}; console: {string.Join(" | ", consoleErrors)}");
            }
            var message = await page.Locator(".output_area .companion-plotly-missing").First.InnerTextAsync();
            Assert.Equal(Companion.Notebooks.ChartLoader.UnreachableMessage, message.Trim());
        });
    }

    /// <summary>
    /// Interrupt keeps the session, in the browser: a cell defines a variable, a TorchSharp training loop (the
    /// notebooks' <c>#r</c> of lib/Companion.Networks) is stopped with the toolbar's ■ button, <c>while (true) {}</c>
    /// with Kernel › Interrupt, and a last cell still reads the variable and the steps the loop made.
    /// </summary>
    [SkippableFact]
    public async Task Interrupting_a_training_cell_and_an_endless_loop_keeps_the_session()
    {
        ToolRequirements.Require(ToolRequirements.MissingChromium(), ToolRequirements.MissingPythonModules("notebook", "jupyter_client", "zmq"));
        var repo = Jupyter.RepoRoot();
        // lib/Companion.Networks is built with this test project (a project reference).
        const string name = "interrupt/training.ipynb";
        string[] cells =
        [
            "#r \"../../lib/Companion.Networks/bin/TorchSharp.dll\"\n#r \"../../lib/Companion.Networks/bin/Companion.Networks.dll\"\nusing Companion.Networks;\nusing TorchSharp;\nConsole.WriteLine(TorchDevice.Describe());",
            "var kept = 42;\nConsole.WriteLine($\"defined kept = {kept}\");",
            "torch.random.manual_seed(0);\nvar model = torch.nn.Linear(32, 1);\nvar optimizer = torch.optim.SGD(model.parameters(), 0.01);\nvar (x, y) = (torch.randn(256, 32), torch.randn(256, 1));\nlong steps = 0;\nConsole.WriteLine(\"training\");\nfor (int epoch = 0; epoch < 100_000_000; epoch++)\n{\n    using var scope = torch.NewDisposeScope();\n    optimizer.zero_grad();\n    var loss = torch.nn.functional.mse_loss(model.forward(x), y);\n    loss.backward();\n    optimizer.step();\n    steps++;\n}",
            "Console.WriteLine(\"looping\");\nwhile (true) { }",
            "Console.WriteLine($\"kept = {kept}, training steps = {steps}\");",
        ];
        var site = Path.Combine(jupyter.Root, "site-interrupt");
        var path = Path.Combine(site, "notebooks", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateSymbolicLink(Path.Combine(site, "lib"), Path.Combine(repo, "lib"));
        var nb = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cells.Select((c, i) => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"cell-{i}", ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
                ["outputs"] = new System.Text.Json.Nodes.JsonArray(), ["source"] = c,
            }).ToArray()),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["display_name"] = KernelSpec.NotebookDisplayName, ["language"] = "C#", ["name"] = KernelSpec.NotebookName },
                ["language_info"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "C#" },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, nb.ToJsonString());

        await WithNotebookPage(site, name, async (page, consoleErrors) =>
        {
            async Task<string> Run(int index, bool wait = true)
            {
                await page.EvaluateAsync($"() => Jupyter.notebook.execute_cells([{index}])");
                if (!wait) return "";
                await page.WaitForFunctionAsync($"""
                    () => typeof Jupyter.notebook.get_cell({index}).input_prompt_number === 'number' && Jupyter.notebook.kernel_busy === false
                    """, null, new() { Timeout = RunAllTimeoutMs, PollingInterval = 300 });
                return await Output(index);
            }
            Task<string> Output(int index) => page.EvaluateAsync<string>($"() => Jupyter.notebook.get_cell({index}).output_area.element[0].innerText");
            async Task RunUntilPrinted(int index, string text)
            {
                await Run(index, wait: false);
                await page.WaitForFunctionAsync($"() => Jupyter.notebook.get_cell({index}).output_area.element[0].innerText.includes('{text}')",
                    null, new() { Timeout = RunAllTimeoutMs, PollingInterval = 200 });
                await page.WaitForTimeoutAsync(1500); // well inside the loop
                Assert.True(await page.EvaluateAsync<bool>("() => Jupyter.notebook.kernel_busy"), $"cell {index} is not running any more");
            }
            async Task<string> WaitInterrupted(int index)
            {
                await page.WaitForFunctionAsync($"""
                    () => Jupyter.notebook.kernel_busy === false && Jupyter.notebook.get_cell({index}).output_area.element[0].querySelector('.output_error')
                    """, null, new() { Timeout = 60_000, PollingInterval = 200 });
                return await Output(index);
            }

            var first = await Run(0);
            Assert.DoesNotContain("rror", first);
            Assert.Contains("defined kept = 42", await Run(1));

            await RunUntilPrinted(2, "training");
            await page.ClickAsync("button[data-jupyter-action='jupyter-notebook:interrupt-kernel']");
            var training = await WaitInterrupted(2);
            Assert.Contains("KeyboardInterrupt", training);
            Assert.DoesNotContain("restarted", training);

            await RunUntilPrinted(3, "looping");
            await page.ClickAsync("#kernellink");
            await page.ClickAsync("#int_kernel");
            var loop = await WaitInterrupted(3);
            Assert.Contains("KeyboardInterrupt", loop);
            Assert.DoesNotContain("restarted", loop);

            var last = await Run(4);
            var m = System.Text.RegularExpressions.Regex.Match(last, @"kept = 42, training steps = (\d+)");
            Assert.True(m.Success, $"the variables did not survive the interrupts: {last}");
            Assert.True(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "the training loop made no step before the interrupt");
            await page.ScreenshotAsync(new() { Path = Path.Combine(repo, "out", "test-artifacts", "jupyter-notebook-interrupt.png") });
        });
    }

    /// <summary>Serves <paramref name="site"/> with the Notebook server, opens notebook <paramref name="name"/> (under
    /// notebooks/) in headless Chromium (offline: only 127.0.0.1 answers) once its kernel is connected, and runs
    /// <paramref name="body"/> with the page and its console errors.</summary>
    async Task WithNotebookPage(string site, string name, Func<IPage, List<string>, Task> body)
    {
        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        using var server = jupyter.Start(Jupyter.Python,
            ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", $"--port={port}", $"--NotebookApp.token={token}",
             $"--notebook-dir={site}", "--NotebookApp.open_browser=False", "--allow-root"], site);
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitForServer($"{baseUrl}/api?token={token}", server);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ToolRequirements.Chromium(), Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.RouteAsync("**/*", r => new Uri(r.Request.Url).Host is "127.0.0.1" or "localhost" ? r.ContinueAsync() : r.AbortAsync());
            var consoleErrors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
            page.PageError += (_, e) => consoleErrors.Add(e);
            await page.GotoAsync($"{baseUrl}/notebooks/notebooks/{name}?token={token}");
            await WaitForKernel(page);
            await body(page, consoleErrors);
        }
        finally
        {
            try { server.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await server.WaitForExitAsync();
        }
    }

    static Task WaitForKernel(IPage page) =>
        page.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
            null, new() { Timeout = RunAllTimeoutMs });

    static Task WaitForAllCells(IPage page) =>
        page.WaitForFunctionAsync("""
            () => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')
                    .every(c => typeof c.input_prompt_number === 'number')
                  && Jupyter.notebook.kernel_busy === false
            """, null, new() { Timeout = RunAllTimeoutMs, PollingInterval = 500 });

    /// <summary>The page's chart outputs (each carries the loader's hidden message element), how many of them hold
    /// Plotly's drawn SVG, and how many show the "not reachable" message.</summary>
    static async Task<(int Total, int Drawn, int Unreachable)> ChartOutputs(IPage page)
    {
        var r = await page.EvaluateAsync<int[]>("""
            () => { const outs = [...document.querySelectorAll('.output_area')].filter(o => o.querySelector('.companion-plotly-missing'));
                    return [outs.length, outs.filter(o => o.querySelectorAll('svg.main-svg').length > 0).length,
                            outs.filter(o => o.querySelector('.companion-plotly-missing').offsetParent !== null).length]; }
            """);
        return (r[0], r[1], r[2]);
    }

    static async Task WaitForDrawn(IPage page, int total)
    {
        try
        {
            await page.WaitForFunctionAsync($"""
                () => [...document.querySelectorAll('.output_area')].filter(o => o.querySelector('.companion-plotly-missing') && o.querySelector('svg.main-svg')).length >= {total}
                """, null, new() { Timeout = 60_000, PollingInterval = 300 });
        }
        catch (TimeoutException) { } // the caller asserts the counts
    }

    /// <summary>The notebook scrolls inside #site: show the first chart before a screenshot.</summary>
    static Task ShowFirstChart(IPage page) => page.EvaluateAsync(
        "() => { const c = document.querySelector('.output_area .js-plotly-plot') || document.querySelector('.output_area'); if (c) c.scrollIntoView({ block: 'center' }); }");

    static async Task WaitForServer(string url, System.Diagnostics.Process server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ServerStart;
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"the notebook server exited with code {server.ExitCode}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(300);
        }
        throw new TimeoutException($"the notebook server did not answer at {url} within {ServerStart.TotalSeconds:0} s");
    }
}
