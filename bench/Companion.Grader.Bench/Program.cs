// Autograder benchmark: prints numbers, asserts nothing.
// usage: dotnet run -c Release --project bench/Companion.Grader.Bench [-- SUBMISSIONS [JOBS...]]
// Grades SUBMISSIONS copies (default 40) of the example assignment (tests/Companion.Grader.Tests/Examples): a quarter
// each perfect, untouched, partly wrong and not compiling; then runs the Python peer (peer_nbclient.py: the same
// questions in Python, each submission executed by nbclient in its own ipykernel, as nbgrader and otter-grader do).
using System.Diagnostics;
using System.Globalization;
using Companion.Grader;
using Companion.Notebooks;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var jobsList = args.Length > 1 ? args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList() : [1, 2];
var repo = FindRepo();
var examples = Path.Combine(repo, "tests", "Companion.Grader.Tests", "Examples");
var scratch = Directory.CreateTempSubdirectory("nbgrade-bench-").FullName;
var source = SourceNotebook.Split(NotebookFile.Read(Path.Combine(examples, "hinge-and-step-decay.ipynb")), "hinge-and-step-decay.ipynb");
var keyDir = Path.Combine(scratch, "autograder");
new AssignmentKey(AssignmentKey.CurrentFormat, "bench", [source.Key with { SourceDirectory = Path.GetRelativePath(keyDir, examples) }])
    .Write(Directory.CreateDirectory(keyDir).FullName);
var subs = Path.Combine(scratch, "submissions");
for (int i = 0; i < count; i++)
{
    var nb = (i % 4) switch { 1 => source.Student.Clone(), _ => source.Solution.Clone() };
    var q2 = nb.Cells.First(c => c.Id == "q2-code");
    var q1 = nb.Cells.First(c => c.Id == "q1-code");
    if (i % 4 == 2) q2.Source = "static double StepDecay(double eta0, double gamma, int k, int t) => eta0 * Math.Pow(gamma, (double)t / k);";
    if (i % 4 == 3) q1.Source = q1.Source.Replace("1 - y * s);", "1 - y * s)", StringComparison.Ordinal);
    NotebookFile.Write(nb, Path.Combine(subs, $"student{i:000}.ipynb"));
}

Console.WriteLine($"autograder benchmark — {Environment.ProcessorCount} cores, load average {LoadAverage()}, {count} submissions of the example (5 points, 4 test cells each)");
Console.WriteLine($"nbgrade sandbox: {(Sandbox.Available ? "on (bubblewrap " + Sandbox.Bwrap + ")" : "OFF: bwrap is not installed, so this measures --no-sandbox")}");
Console.WriteLine();
Console.WriteLine($"{"grader",-52} {"jobs",5} {"wall",8} {"per minute",11} {"mean score",11}");
var ours = new Dictionary<int, double>();
var theirs = new Dictionary<int, double>();
foreach (var jobs in jobsList)
{
    var clock = Stopwatch.StartNew();
    var (_, students) = await BatchGrader.RunAsync(GraderOptions.Parse(["grade", "--key", keyDir, subs, "-o", Path.Combine(scratch, $"grades-{jobs}"),
        "--jobs", jobs.ToString(CultureInfo.InvariantCulture), .. (Sandbox.Available ? Array.Empty<string>() : ["--no-sandbox"])]), TextWriter.Null);
    var wall = clock.Elapsed.TotalSeconds;
    ours[jobs] = students.Count / wall * 60;
    Console.WriteLine($"{(Sandbox.Available ? "nbgrade (C#, sandboxed worker per notebook)" : "nbgrade (C#, worker per notebook, NO sandbox)"),-52} {jobs,5} {wall,6:0.0} s {ours[jobs],11:0.0} {students.Average(s => s.Score),11:0.00}");
}
var peer = Path.Combine(repo, "bench", "Companion.Grader.Bench", "peer_nbclient.py");
foreach (var jobs in jobsList)
{
    var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { peer, count.ToString(CultureInfo.InvariantCulture), jobs.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var stdout = await p.StandardOutput.ReadToEndAsync();
    var stderr = await p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    Console.WriteLine(p.ExitCode == 0 ? stdout.TrimEnd() : $"python peer failed ({p.ExitCode}): {stderr.Trim().Split('\n').LastOrDefault()}");
    var words = stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
    if (p.ExitCode == 0 && words.Length >= 2 && double.TryParse(words[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var perMinute))
        theirs[jobs] = perMinute;
}
Console.WriteLine();
foreach (var jobs in jobsList.Where(j => ours.ContainsKey(j) && theirs.ContainsKey(j)))
    Console.WriteLine($"ratio nbgrade / Python peer at {jobs} job{(jobs > 1 ? "s" : "")} (sandbox {(Sandbox.Available ? "on" : "off")}): {ours[jobs] / theirs[jobs]:0.00}");
Console.WriteLine($"load average after: {LoadAverage()}");

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Companion.sln"))) return d.FullName;
    throw new DirectoryNotFoundException("Companion.sln not found");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
