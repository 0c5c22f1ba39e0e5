// Engine benchmark: prints numbers, asserts nothing. Targets (issue 2): first cell ≤ 1.5 s, trivial later cell ≤ 50 ms median.
// usage: dotnet run -c Release --project bench/Companion.Bench [-- notebooks-folder]
using System.Diagnostics;
using System.Globalization;
using Companion.Notebooks;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var root = args.Length > 0 ? args[0] : FindNotebooks();
var scratch = Directory.CreateTempSubdirectory("nbbench-").FullName;
const int Trivial = 30;

Console.WriteLine($"engine benchmark — {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
Console.WriteLine();
Console.WriteLine($"{"kernel",-34} {"start",9} {"first cell",11} {"trivial cell median",20} {"p90",8}");
foreach (var (name, make) in new (string, Func<IKernel>)[]
{
    ("worker process, warm-up (default)", () => new WorkerKernel(scratch, warmUp: true)),
    ("worker process, no warm-up", () => new WorkerKernel(scratch, warmUp: false)),
    ("in-process (--in-process)", () => new ScriptKernel(scratch)),
})
{
    var clock = Stopwatch.StartNew();
    using var kernel = make();
    var start = clock.Elapsed;
    var first = await kernel.ExecuteAsync(1, "var x = 1;\nx + 1", TimeSpan.FromMinutes(1));
    var times = new List<double>();
    for (int i = 0; i < Trivial; i++)
        times.Add((await kernel.ExecuteAsync(i + 2, "x + 1", TimeSpan.FromMinutes(1))).Duration.TotalMilliseconds);
    times.Sort();
    var firstMs = first.Duration.TotalMilliseconds;
    Console.WriteLine($"{name,-34} {start.TotalSeconds,7:0.00} s {firstMs / 1000,9:0.000} s {times[times.Count / 2],17:0.0} ms {times[(int)(times.Count * 0.9)],5:0.0} ms");
}

// Console output: a cell making 1,000,000 Console.WriteLine calls (target: under 5 s, all text kept), beside Python
// printing the same lines into a captured stream (what ipykernel does with a cell's prints, minus the messaging).
const int Lines = 1_000_000;
Console.WriteLine();
Console.WriteLine($"{"1,000,000 Console.WriteLine calls in one cell",-46} {"cell time",10} {"lines kept",11}");
foreach (var (name, make) in new (string, Func<IKernel>)[]
{
    ("worker process (default)", () => new WorkerKernel(scratch)),
    ("in-process (--in-process)", () => new ScriptKernel(scratch)),
})
{
    using var kernel = make();
    await kernel.ExecuteAsync(1, "1", TimeSpan.FromMinutes(1));
    var r = await kernel.ExecuteAsync(2, $"for (int i = 0; i < {Lines}; i++) Console.WriteLine(i);", TimeSpan.FromMinutes(10));
    var kept = r.Events.Where(e => e.Output["output_type"]?.GetValue<string>() == "stream")
        .Sum(e => Outputs.Text(e.Output["text"]).Count(c => c == '\n'));
    Console.WriteLine($"{name,-46} {r.Duration.TotalSeconds,8:0.00} s {kept,11}{(r.Failed ? "  FAILED " + r.ErrorSummary : "")}");
}
Console.WriteLine($"{"python3, print() into io.StringIO (peer)",-46} {PythonPrintSeconds(Lines),8:0.00} s");

Console.WriteLine();
Console.WriteLine($"{"notebook (default parameters)",-56} {"start",8} {"setup cell",11} {"total",8}");
foreach (var path in Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    var (_, report) = await NotebookExecutor.ExecuteAsync(NotebookFile.Read(path), path, new ExecutionOptions());
    var setup = report.Cells.Count > 0 ? report.Cells[0].Duration.TotalSeconds : double.NaN;
    Console.WriteLine($"{Path.GetRelativePath(root, path),-56} {report.StartupTime.TotalSeconds,6:0.00} s {setup,9:0.000} s {report.Duration.TotalSeconds,6:0.0} s{(report.Succeeded ? "" : "  FAILED")}");
}
Directory.Delete(scratch, true);

static double PythonPrintSeconds(int lines)
{
    var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
    psi.ArgumentList.Add("-c");
    psi.ArgumentList.Add($"import io, time, contextlib\nb = io.StringIO()\nt = time.perf_counter()\nwith contextlib.redirect_stdout(b):\n    for i in range({lines}): print(i)\nprint(time.perf_counter() - t)");
    try
    {
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
    catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException)
    {
        return double.NaN;
    }
}

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static string FindNotebooks()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (Directory.Exists(Path.Combine(d.FullName, "notebooks"))) return Path.Combine(d.FullName, "notebooks");
    throw new DirectoryNotFoundException("notebooks/ not found; pass the folder as an argument");
}
