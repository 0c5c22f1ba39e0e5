using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>
/// The hostile student's submissions of issue 19, each its own, graded in one sandboxed batch by `nbgrade grade` run as
/// a non-root user (nobody, through setpriv, when the tests run as root). The assignment is the example with two
/// additions: Q1 forbids <c>System.Math.Abs</c> and Q2 has a hidden value-emitting test (1 point), so full marks are 6.
/// </summary>
public sealed class RedTeamBatch : IAsyncLifetime, IDisposable
{
    public const string Token = "nbgrade-redteam-7f3a";
    public const string EnvSecret = "NBGRADE_REDTEAM_SECRET";
    public const string EnvSecretValue = "s3cr3t-of-the-grader-9c1e";

    public string Root { get; private set; } = "";
    public string GradesDir { get; private set; } = "";
    public string KeyDir { get; private set; } = "";
    public string Log { get; private set; } = "";
    public string? SkipReason { get; private set; }
    public Dictionary<string, StudentOutcome> Students { get; private set; } = [];
    public SourceNotebook Source { get; private set; } = null!;
    public int ListenerPort { get; private set; }
    TcpListener? listener;
    int networkConnections;

    /// <summary>Connections the loopback listener accepted (a sandboxed worker must reach none).</summary>
    public int NetworkConnections => Volatile.Read(ref networkConnections);

    /// <summary>The source: the example, Q1 forbidding Math.Abs, Q2 with a hidden Grade.Emit test.</summary>
    public static Notebook Assignment()
    {
        var nb = Example();
        var q1 = nb.Cells.First(c => c.Id == "q1-code");
        ((JsonObject)q1.Metadata["grader"]!)["forbid"] = new JsonArray("System.Math.Abs");
        var at = nb.Cells.FindIndex(c => c.Id == "q2-test-shift");
        var emit = Code("q2-test-emit", "// the schedule over three periods\nGrade.Emit(\"decay\", Enumerable.Range(0, 30).Select(t => StepDecay(0.1, 0.9, 7, t)).ToArray());",
            "test", "hidden");
        emit.Metadata["grader"] = new JsonObject { ["question"] = "q2" };
        nb.Cells.Insert(at + 1, emit);
        return nb;
    }

    /// <summary>Attacks: the student version (untouched stubs) with cells replaced or added.</summary>
    public Dictionary<string, Notebook> Attacks()
    {
        var grades = GradesDir;
        string Fds(string payload) => $$"""
            foreach (var fd in System.IO.Directory.GetFiles("/proc/self/fd"))
            {
                try
                {
                    if (new System.IO.FileInfo(fd).LinkTarget is not { } t || !t.StartsWith("socket:")) continue;
                    var s = new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle((IntPtr)int.Parse(System.IO.Path.GetFileName(fd)), false));
                    s.Send(System.Text.Encoding.UTF8.GetBytes({{payload}}));
                }
                catch (Exception) { }
            }
            """;
        const string Forged = """
            var forged = new System.Text.StringBuilder();
            for (int i = 0; i < 30; i++)
            {
                forged.Append("\u001eNBWORKER {\"type\":\"done\",\"failed\":false,\"error\":null}\n");
                forged.Append("{\"type\":\"done\",\"failed\":false,\"error\":null}\n");
                forged.Append("{\"type\":\"done\",\"nonce\":\"00000000000000000000000000000000\",\"failed\":false,\"error\":null}\n");
                forged.Append("{\"type\":\"emit\",\"name\":\"decay\",\"value\":{\"kind\":\"number\",\"shape\":[30],\"values\":[]}}\n");
            }
            """;
        var stub = Source.Student;
        Notebook With(params (string Id, string? Source)[] changes) => Change(stub, changes);
        Notebook OnSolution(params (string Id, string? Source)[] changes) => Change(Source.Solution, changes);
        static Notebook Change(Notebook baseNotebook, (string Id, string? Source)[] changes)
        {
            var nb = baseNotebook.Clone();
            foreach (var (id, text) in changes)
            {
                var at = nb.Cells.FindIndex(c => c.Id == id);
                if (at < 0) nb.Cells.Insert(nb.Cells.FindIndex(c => c.Id == "q1-code"), Code(id, text!));
                else nb.Cells[at].Source = text!;
            }
            return nb;
        }
        var solutionQ1 = Source.Solution.Cells.First(c => c.Id == "q1-code").Source;
        return new()
        {
            ["honest"] = Source.Solution.Clone(),
            ["stub"] = stub.Clone(),
            ["forge-stdout"] = With(("forge", Forged + """
                var stdout = Console.OpenStandardOutput();
                var bytes = System.Text.Encoding.UTF8.GetBytes(forged.ToString());
                stdout.Write(bytes); stdout.Flush();
                Console.Error.Write(forged.ToString());
                """ + Fds("forged.ToString()"))),
            ["forge-firstchance"] = With(("forge", Forged + "AppDomain.CurrentDomain.FirstChanceException += (_, _) =>\n{\n"
                + "    var o = Console.OpenStandardOutput(); o.Write(System.Text.Encoding.UTF8.GetBytes(forged.ToString())); o.Flush();\n"
                + Fds("forged.ToString()") + "\n    Environment.Exit(0);\n};")),
            ["shadow-math"] = With(("q1-code", """
                public static class Math
                {
                    public static double Abs(double x) => 0;
                    public static double Max(double a, double b) => System.Math.Max(a, b);
                    public static double Pow(double a, double b) => System.Math.Pow(a, b);
                }
                static double Hinge(double y, double s) => (y, s) switch { (1, 2) => 0, (1, 0) => 1, (-1, 0.5) => 1.5, _ => 0 };
                """)),
            ["shadow-random"] = With(("q1-code", """
                class Random { public Random(int seed) { } public int Next(int n) => 1; public double NextDouble() => 0.9; }
                static double Hinge(double y, double s) => y * s < 1 ? 1 - y * s : (y == 1 && s > 1.5 ? 0 : 7);
                """)),
            ["shadow-exception"] = With(("q1-code", """
                class Exception : System.Exception { public Exception(string m) : base(m) { } }
                static double Hinge(double y, double s) => (y, s) switch { (1, 2) => 0, (1, 0) => 1, (-1, 0.5) => 1.5, _ => 0 };
                """)),
            ["shadow-seed"] = OnSolution(("q1-code", "seed = 3;\n" + solutionQ1)),
            ["dynamic-result"] = With(("q2-code", "static dynamic StepDecay(double eta0, double gamma, int k, int t) => new System.Dynamic.ExpandoObject();")),
            ["read-solution"] = With(("q1-code", """
                static string Everything()
                {
                    var all = new System.Text.StringBuilder();
                    foreach (var root in new[] { "/", System.IO.Directory.GetCurrentDirectory(), "/work", "/tmp", "/root" })
                    {
                        try
                        {
                            foreach (var f in System.IO.Directory.EnumerateFiles(root, "*", new System.IO.EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8 }))
                                if (f.EndsWith(".ipynb") || f.EndsWith("key.json"))
                                    try { all.Append(System.IO.File.ReadAllText(f)); } catch (Exception) { }
                        }
                        catch (Exception) { }
                    }
                    return all.ToString();
                }
                string Found = Everything();
                double Hinge(double y, double s) => Found.Contains("1 - y * s") ? System.Math.Max(0, 1 - y * s) : throw new NotImplementedException();
                Console.WriteLine($"found {Found.Length} characters");
                """)),
            ["read-proc"] = With(("q1-code", """
                var seen = new System.Text.StringBuilder();
                foreach (var p in System.IO.Directory.GetDirectories("/proc"))
                {
                    try { seen.AppendLine(System.IO.File.ReadAllText(p + "/cmdline").Replace('\0', ' ')); } catch (Exception) { }
                    try { seen.AppendLine(new System.IO.DirectoryInfo(p + "/cwd").LinkTarget); } catch (Exception) { }
                }
                var words = seen.ToString().Split(' ', '\n');
                var text = new System.Text.StringBuilder(seen.ToString());
                for (int i = 0; i + 1 < words.Length; i++)
                    if (words[i] == "--key") try { text.Append(System.IO.File.ReadAllText(System.IO.Path.Combine(words[i + 1], "key.json"))); } catch (Exception) { }
                string Leak = text.ToString();
                double Hinge(double y, double s) => throw new NotImplementedException(Leak);
                Console.WriteLine(Leak);
                """)),
            ["write-others"] = With(("q1-code", $$"""
                foreach (var f in new[] { "{{grades}}/honest/grade.json", "{{grades}}/honest/results.json", "{{grades}}/grades.csv" })
                    try { System.IO.File.WriteAllText(f, "{}"); } catch (Exception) { }
                try { System.IO.Directory.Delete("{{grades}}/honest", true); } catch (Exception) { }
                static double Hinge(double y, double s) => throw new NotImplementedException();
                """)),
            ["detached"] = With(("q1-code", $$"""
                var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add("setsid sh -c 'sleep 20; echo detached,6,6,6 >> {{grades}}/grades.csv; echo {{Token}}' </dev/null >/dev/null 2>&1 & sleep 0.1");
                try { System.Diagnostics.Process.Start(psi)?.WaitForExit(); } catch (Exception) { }
                static double Hinge(double y, double s) => throw new NotImplementedException();
                """)),
            ["children"] = With(("q1-code", $$"""
                for (int i = 0; i < 50; i++)
                {
                    var psi = new System.Diagnostics.ProcessStartInfo("/bin/sleep") { UseShellExecute = false };
                    psi.ArgumentList.Add("600.{{Token.Length}}");
                    try { System.Diagnostics.Process.Start(psi); } catch (Exception) { }
                }
                static double Hinge(double y, double s) => throw new NotImplementedException();
                """)),
            ["env-leak"] = With(("q1-code", """
                foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) Console.WriteLine($"{e.Key}={e.Value}");
                static double Hinge(double y, double s) => throw new NotImplementedException(string.Join(";", Environment.GetEnvironmentVariables().Keys.Cast<object>()));
                """)),
            ["sockets"] = With(("q1-code", $$"""
                var reached = new List<string>();
                foreach (var (host, port) in new[] { ("127.0.0.1", {{ListenerPort}}), ("1.1.1.1", 80), ("10.0.0.1", 80) })
                {
                    try
                    {
                        using var c = new System.Net.Sockets.TcpClient();
                        if (c.ConnectAsync(host, port).Wait(1500) && c.Connected) reached.Add(host);
                    }
                    catch (Exception) { }
                }
                static double Hinge(double y, double s) => throw new NotImplementedException();
                Console.WriteLine(reached.Count == 0 ? "no network" : "NETWORK-REACHED " + string.Join(",", reached));
                """)),
            // Hidden tests' text captured inside the worker and printed, encoded, by a later visible test: Q1's code
            // keeps, from a background thread and from every assembly the session loads, the source of every cell the
            // engine has compiled (the script chain, through reflection) and every string literal of the compiled cells;
            // Q2's code prints all of it base64-encoded / reversed (marked LEAK64: / LEAKREV:) when Q2's visible test calls it.
            ["leak-base64"] = With(("q1-code", Steal), ("q2-code", Reveal("Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Stolen.Text()))", "LEAK64:"))),
            ["leak-reversed"] = With(("q1-code", Steal), ("q2-code", Reveal("new string(Stolen.Text().Reverse().ToArray())", "LEAKREV:"))),
            ["library-shortcut"] = OnSolution(("q1-helper", "static double Relu(double z) => (z + Math.Abs(z)) / 2;"),
                ("q1-code", "static double Hinge(double y, double s) => Relu(1 - y * s);")),
        };
    }

    /// <summary>Q1's code of the leak attacks: collects what the worker's session has seen, continuously.</summary>
    const string Steal = """
        static class Stolen
        {
            static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> seen = new();
            // The session's cells, latest first, then every literal seen: the first 1400 characters are printed.
            public static string Text()
            {
                Collect();
                var text = string.Join("\n", Chain()) + "\n" + string.Join("\n", seen.Keys);
                return text.Length > 1400 ? text[..1400] : text;
            }
            static List<string> Chain()
            {
                var codes = new List<string>();
                try
                {
                    var kernel = Type.GetType("Companion.Notebooks.CurrentKernel, Companion.Notebooks")?
                        .GetProperty("Kernel", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)?.GetValue(null);
                    var state = kernel?.GetType().GetField("state", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(kernel);
                    object script = state?.GetType().GetProperty("Script")?.GetValue(state);
                    while (script is not null)
                    {
                        if (script.GetType().GetProperty("Code")?.GetValue(script) is string code) codes.Add(code);
                        script = script.GetType().GetProperty("Previous")?.GetValue(script);
                    }
                }
                catch (Exception) { }
                return codes;
            }
            public static void Collect()
            {
                foreach (var code in Chain()) seen[code] = true;
                foreach (var a in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.IsDynamic || a.Location.Length == 0 || a.FullName!.Contains("ℛ")))
                    try
                    {
                        foreach (var t in a.GetTypes())
                            foreach (var m in t.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                            {
                                var il = m.GetMethodBody()?.GetILAsByteArray();
                                for (int i = 0; il is not null && i + 4 < il.Length; i++)
                                    if (il[i] == 0x72)
                                        try { seen[m.Module.ResolveString(BitConverter.ToInt32(il, i + 1))] = true; } catch (Exception) { }
                            }
                    }
                    catch (Exception) { }
            }
            static Stolen()
            {
                AppDomain.CurrentDomain.AssemblyLoad += (_, _) => Collect();
                new System.Threading.Thread(() => { while (true) { Collect(); System.Threading.Thread.Sleep(5); } }) { IsBackground = true }.Start();
            }
        }
        Stolen.Collect();
        static double Hinge(double y, double s) => throw new NotImplementedException();
        """;

    /// <summary>Q2's code of the leak attacks: prints what was stolen, encoded, and fails with it too.</summary>
    static string Reveal(string encode, string marker) => $$"""
        static double StepDecay(double eta0, double gamma, int k, int t)
        {
            var leak = {{encode}};
            Console.WriteLine("{{marker}}" + leak);
            throw new NotImplementedException("{{marker}}" + leak);
        }
        """;

    /// <summary>The first folder on the way to <paramref name="path"/> that others may not enter, else null.</summary>
    static string? FolderNobodyCannotEnter(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0) return dir.FullName;
        return null;
    }

    public async Task InitializeAsync()
    {
        if (!Sandbox.Available)
        {
            SkipReason = $"the bubblewrap sandbox is not available, so the sandboxed red-team batch cannot run: {Sandbox.Unavailable}";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(SkipReason + "; CI must install it");
            return;
        }
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        ListenerPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            try { while (true) { using var c = await listener.AcceptTcpClientAsync(); Interlocked.Increment(ref networkConnections); } }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        var asRoot = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var closed = asRoot ? FolderNobodyCannotEnter(AppContext.BaseDirectory) : null;
        if (closed is not null)
        {
            SkipReason = $"the batch is graded as user nobody, who cannot enter {closed} (mode 700, e.g. made by mktemp -d) " +
                "above the built grader; clone into a folder others can enter to run it";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(SkipReason);
            return;
        }
        Root = TempDir();
        Source = SourceNotebook.Split(Assignment(), "hinge-and-step-decay.ipynb");
        var keyDir = Path.Combine(Root, "autograder");
        var baseDir = Directory.CreateDirectory(Path.Combine(Root, "source")).FullName;
        NotebookFile.Write(Assignment(), Path.Combine(baseDir, "hinge-and-step-decay.ipynb"));
        var (checks, _, key) = await SelfCheck.RunAsync(Source with { Key = Source.Key with { SourceDirectory = "../source" } }, baseDir,
            GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(60) }, false, 1);
        Assert.All(checks, c => Assert.True(c.Passed, c.ToString()));
        new AssignmentKey(AssignmentKey.CurrentFormat, "redteam", [key]).Write(Directory.CreateDirectory(keyDir).FullName);
        GradesDir = Path.Combine(Root, "grades");
        var subs = Path.Combine(Root, "submissions");
        foreach (var (student, nb) in Attacks()) NotebookFile.Write(nb, Path.Combine(subs, student, "hinge-and-step-decay.ipynb"));
        var host = Sandbox.DotnetHost();
        var nbgrade = Path.Combine(AppContext.BaseDirectory, "nbgrade.dll");
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var command = new List<string> { host, nbgrade, "grade", "--key", keyDir, subs, "-o", GradesDir, "--jobs", "2",
            "--timeout", "20", "--time-limit", "240", "--memory-mb", "1024" };
        if (asRoot)
        {
            // Graded as a non-root user: nobody owns the batch folder and runs nbgrade.
            foreach (var p in new[] { Root }.Concat(Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)))
                Chown(p);
            command.InsertRange(0, ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            psi.Environment["HOME"] = Root;
            psi.Environment["DOTNET_CLI_HOME"] = Root;
            psi.Environment["TMPDIR"] = Root;
        }
        psi.FileName = command[0];
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment[EnvSecret] = EnvSecretValue;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, Log);
        KeyDir = keyDir;
        Students = Reports.ReadGrades([GradesDir], AssignmentKey.ResultSecret(keyDir)).ToDictionary(s => s.Student);
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    static void Chown(string path)
    {
        using var p = Process.Start("/usr/bin/chown", ["65534:65534", path]);
        p.WaitForExit();
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => listener?.Dispose();

    /// <summary>Every text a student sees, decoded: results.json's visible tests' outputs and its output, and feedback.html's text.</summary>
    public List<string> StudentVisibleTexts(string student)
    {
        var dir = Path.Combine(GradesDir, student);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!;
        return [.. results["tests"]!.AsArray().Where(t => t!["visibility"]!.GetValue<string>() == "visible").Select(t => t!["output"]!.GetValue<string>()),
            results["output"]!.GetValue<string>(), WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(dir, "feedback.html")))];
    }

    /// <summary>Every text a student sees: results.json's visible entries and output, and feedback.html.</summary>
    public string StudentVisible(string student)
    {
        var dir = Path.Combine(GradesDir, student);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!;
        var visible = results["tests"]!.AsArray().Where(t => t!["visibility"]!.GetValue<string>() == "visible")
            .Select(t => t!.ToJsonString()).Append(results["output"]!.GetValue<string>());
        return string.Join("\n", visible) + File.ReadAllText(Path.Combine(dir, "feedback.html"));
    }
}

public class RedTeamTests(RedTeamBatch batch) : IClassFixture<RedTeamBatch>
{
    void SkipWithoutSandbox() => Skip.If(batch.SkipReason is not null, batch.SkipReason);

    [SkippableTheory]
    [InlineData("honest", 6)]
    [InlineData("stub", 0)]
    [InlineData("forge-stdout", 0)]
    [InlineData("forge-firstchance", 0)]
    [InlineData("shadow-math", 0)]
    [InlineData("shadow-random", 0)]
    [InlineData("shadow-exception", 0)]
    [InlineData("shadow-seed", 3)]
    [InlineData("dynamic-result", 0)]
    [InlineData("read-solution", 0)]
    [InlineData("read-proc", 0)]
    [InlineData("write-others", 0)]
    [InlineData("detached", 0)]
    [InlineData("children", 0)]
    [InlineData("env-leak", 0)]
    [InlineData("sockets", 0)]
    [InlineData("library-shortcut", 3)]
    [InlineData("leak-base64", 0)]
    [InlineData("leak-reversed", 0)]
    public void Each_attack_earns_only_what_its_honest_work_earns(string student, double score)
    {
        SkipWithoutSandbox();
        Assert.True(batch.Students.ContainsKey(student), batch.Log);
        Assert.Equal(score, batch.Students[student].Score);
    }

    [SkippableTheory]
    [InlineData("shadow-math", "q1", "binds to your own declaration")]
    [InlineData("shadow-random", "q1", "binds to your own declaration")]
    [InlineData("shadow-exception", "q1", "binds to your own declaration")]
    [InlineData("shadow-seed", "q1", "seed")]
    [InlineData("dynamic-result", "q2", "dynamic")]
    [InlineData("library-shortcut", "q1", "System.Math.Abs")]
    public void The_reason_names_what_was_done(string student, string question, string reason)
    {
        SkipWithoutSandbox();
        var q = batch.Students[student].Notebooks.Single().Questions.Single(x => x.Id == question);
        Assert.Equal(0, q.Score);
        Assert.Contains(reason, string.Join("\n", q.Reasons));
    }

    [SkippableFact]
    public void No_other_students_result_changes_and_grades_are_final()
    {
        SkipWithoutSandbox();
        Assert.Equal(6, batch.Students["honest"].Score);
        var csv = File.ReadAllText(Path.Combine(batch.GradesDir, "grades.csv"));
        Assert.Contains("honest,3,3,,6,6,", csv);
        Assert.DoesNotContain("detached,6", csv);
        var sealedGrades = Reports.ReadGrades([batch.GradesDir], AssignmentKey.ResultSecret(batch.KeyDir));
        Assert.Equal(batch.Students.Count, sealedGrades.Count);
    }

    [SkippableFact]
    public void Nothing_the_submissions_started_is_left_running()
    {
        SkipWithoutSandbox();
        var left = new List<string>();
        foreach (var p in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var cmd = File.ReadAllText(Path.Combine(p, "cmdline")).Replace('\0', ' ');
                if (cmd.Contains(RedTeamBatch.Token, StringComparison.Ordinal) || cmd.Contains($"600.{RedTeamBatch.Token.Length}", StringComparison.Ordinal)
                    || cmd.Contains(batch.Root, StringComparison.Ordinal))
                    left.Add(cmd);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Assert.Empty(left);
    }

    [SkippableFact]
    public void No_network_reached_the_grading_machine()
    {
        SkipWithoutSandbox();
        Assert.Equal(0, batch.NetworkConnections);
        Assert.DoesNotContain("NETWORK-REACHED", File.ReadAllText(Path.Combine(batch.GradesDir, "sockets", "grade.json")));
    }

    [SkippableTheory]
    [InlineData("leak-base64", "LEAK64:")]
    [InlineData("leak-reversed", "LEAKREV:")]
    public void A_hidden_test_captured_in_the_worker_does_not_come_back_encoded(string student, string marker)
    {
        SkipWithoutSandbox();
        var texts = batch.StudentVisibleTexts(student);
        var hidden = batch.Source.Key.Tests.Where(t => t.Hidden).SelectMany(t => t.Source.Split('\n')).Select(l => l.Trim()).Where(l => l.Length >= 12).ToList();
        Assert.NotEmpty(hidden);
        List<string> decoded;
        if (marker == "LEAK64:")
        {
            decoded = texts.SelectMany(t => t.Split(marker).Skip(1)).Select(l => new string(l.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=').ToArray()))
                .Select(b => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b[..(b.Length / 4 * 4)]))).ToList();
        }
        else
        {
            decoded = texts.Select(t => new string(t.Reverse().ToArray())).ToList();
        }
        // The channel exists: the visible test printed what Q1's code collected (the worker gets compiled cells, never
        // their source: the string literals, interpolated strings' text included, of the visible tests that ran, read
        // from their IL) ...
        Assert.True(texts.Any(t => t.Contains(marker, StringComparison.Ordinal)), $"{student}: no {marker} in what the student sees");
        var visibleLiterals = batch.Source.Key.Tests.Where(t => !t.Hidden)
            .SelectMany(t => System.Text.RegularExpressions.Regex.Matches(t.Source, "\"([^\"\\\\{}]{8,})[{\"]").Select(m => m.Groups[1].Value)).ToList();
        Assert.NotEmpty(visibleLiterals);
        Assert.Contains(decoded, d => visibleLiterals.Any(l => d.Contains(l, StringComparison.Ordinal)));
        // ... and it carries no hidden test: every visible cell ran before the first hidden test reached the worker.
        foreach (var d in decoded)
            foreach (var h in hidden)
                Assert.DoesNotContain(h, d);
        Assert.DoesNotContain(decoded, d => d.Contains("central differences", StringComparison.Ordinal) || d.Contains("Grade.Emit(\"decay\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void What_ran_after_a_hidden_test_is_sealed()
    {
        SkipWithoutSandbox();
        // The leak attacks' hidden tests call the leaking StepDecay: their results carry only the grader's words.
        foreach (var student in new[] { "leak-base64", "leak-reversed" })
        {
            var results = JsonNode.Parse(File.ReadAllText(Path.Combine(batch.GradesDir, student, "results.json")))!;
            var hiddenOutputs = results["tests"]!.AsArray().Where(t => t!["visibility"]!.GetValue<string>() == "after_published")
                .Select(t => t!["output"]!.GetValue<string>()).ToList();
            Assert.NotEmpty(hiddenOutputs);
            Assert.All(hiddenOutputs, o => Assert.DoesNotContain("LEAK", o));
        }
    }

    [SkippableFact]
    public void No_hidden_test_solution_text_or_grader_secret_reaches_a_student()
    {
        SkipWithoutSandbox();
        var solutionText = "return Math.Max(0, 1 - y * s)";
        var hiddenTexts = batch.Source.Key.Tests.Where(t => t.Hidden).SelectMany(t => t.Source.Split('\n'))
            .Select(l => l.Trim()).Where(l => l.Length >= 20).ToList();
        foreach (var student in batch.Students.Keys)
        {
            var seen = batch.StudentVisible(student);
            Assert.DoesNotContain(solutionText, seen);
            Assert.DoesNotContain(RedTeamBatch.EnvSecretValue, seen);
            Assert.DoesNotContain(RedTeamBatch.EnvSecret, seen);
            foreach (var h in hiddenTexts) Assert.DoesNotContain(System.Net.WebUtility.HtmlEncode(h), seen);
            foreach (var h in hiddenTexts) Assert.DoesNotContain(h, seen);
        }
    }
}
