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

    [SkippableFact]
    public async Task Notebook_runs_all_cells_in_jupyter_notebook_and_draws_its_chart()
    {
        ToolRequirements.Require(ToolRequirements.MissingChromium(), ToolRequirements.MissingPythonModules("notebook", "jupyter_client", "zmq"));
        var chromium = ToolRequirements.Chromium();
        var repo = Jupyter.RepoRoot();
        // A copy, so the server's autosave never touches the source notebook; lib/ is linked so the notebook's
        // #r "../../lib/Companion/bin/Companion.dll" resolves as in the repository.
        var site = Path.Combine(jupyter.Root, "site");
        var copy = Path.Combine(site, "notebooks", Notebook);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(repo, "notebooks", Notebook), copy);
        Directory.CreateSymbolicLink(Path.Combine(site, "lib"), Path.Combine(repo, "lib"));

        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        using var server = jupyter.Start(Jupyter.Python,
            ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", $"--port={port}", $"--NotebookApp.token={token}",
             $"--notebook-dir={site}", "--NotebookApp.open_browser=False", "--allow-root"], site);
        var serverLog = new System.Text.StringBuilder();
        server.ErrorDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
        server.OutputDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitForServer($"{baseUrl}/api?token={token}", server);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            var consoleErrors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
            page.PageError += (_, e) => consoleErrors.Add(e);
            await page.GotoAsync($"{baseUrl}/notebooks/notebooks/{Notebook}?token={token}");
            // The notebook names kernelspec .net-csharp: the server starts this kernel without asking.
            await page.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                null, new() { Timeout = RunAllTimeoutMs });
            var kernelName = await page.EvaluateAsync<string>("() => Jupyter.notebook.kernel.name");
            Assert.Equal(KernelSpec.NotebookName, kernelName);

            await page.ClickAsync("#celllink");
            await page.ClickAsync("#run_all_cells");
            await page.WaitForFunctionAsync("""
                () => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')
                        .every(c => typeof c.input_prompt_number === 'number')
                      && Jupyter.notebook.kernel_busy === false
                """, null, new() { Timeout = RunAllTimeoutMs, PollingInterval = 500 });
            try { await page.WaitForSelectorAsync(".output_area svg.main-svg", new() { Timeout = 30_000 }); }
            catch (TimeoutException) { } // asserted below, after the screenshot

            var charts = await page.Locator(".output_area .js-plotly-plot").CountAsync();
            var svgs = await page.Locator(".output_area svg.main-svg").CountAsync();
            var errors = await page.Locator(".output_error").AllInnerTextsAsync();
            var codeCells = await page.EvaluateAsync<int>("() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').length");

            var shot = Path.Combine(repo, "out", "test-artifacts", "jupyter-notebook-q4-bilinear-game.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            // The notebook scrolls inside #site: show the first chart, then capture the window.
            await page.EvaluateAsync("() => { const c = document.querySelector('.output_area .js-plotly-plot') || document.querySelector('.output_area'); if (c) c.scrollIntoView({ block: 'center' }); }");
            await page.ScreenshotAsync(new() { Path = shot });

            Assert.True(errors.Count == 0, "error outputs in the page:\n" + string.Join("\n", errors));
            Assert.True(svgs > 0 && charts > 0, $"no drawn Plotly chart ({charts} plot divs, {svgs} SVGs); console errors: " +
                string.Join(" | ", consoleErrors));
            Assert.True(codeCells > 5, $"only {codeCells} code cells in the page");
        }
        finally
        {
            try { server.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await server.WaitForExitAsync();
        }
    }

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
