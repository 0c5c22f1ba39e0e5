using System.Runtime.InteropServices;

namespace Companion.Grader;

/// <summary>
/// The sandbox each grading worker runs in: Debian's bubblewrap (<c>bwrap</c>), not a home-made one. The worker sees
/// the operating system's <c>/usr</c> read-only, the .NET runtime and the grader's own binaries read-only, the folders
/// holding the assemblies the notebook's <c>#r</c> directives load (read-only), its own private writable copy of the
/// submission at the notebook's folder path, an empty private <c>/tmp</c>, and the grader's socket; nothing else of
/// the file system (no key, no solution, no source folder, no other submission, no output folder). It has no network
/// (its own empty network namespace), its own PID namespace (every process it starts dies with it; it sees no process
/// of the grader), its own IPC and UTS namespaces, no capabilities, a minimal environment, and it dies with the grader.
/// </summary>
public static class Sandbox
{
    /// <summary>Where the grader's socket folder appears inside the sandbox.</summary>
    public const string SocketFolder = "/run/nbgrade";

    /// <summary>The bwrap executable on PATH, or null when bubblewrap is not installed.</summary>
    public static string? Bwrap { get; } = FindOnPath("bwrap");

    /// <summary>Whether sandboxed grading is possible here: bwrap is installed and a trial sandbox (the same namespaces
    /// and binds as a worker's) runs <c>/usr/bin/true</c>. In a container that forbids user namespaces it does not.</summary>
    public static bool Available => Probe.Value is null;

    /// <summary>Why the sandbox is not available (null when it is).</summary>
    public static string? Unavailable => Probe.Value;

    static readonly Lazy<string?> Probe = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return "bubblewrap sandboxes need Linux";
        if (Bwrap is null) return "bwrap is not installed (apt-get install bubblewrap)";
        var scratch = Directory.CreateTempSubdirectory("nbgrade-probe-").FullName;
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(Bwrap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in Arguments(scratch, scratch, [], scratch, Environment("/usr", new Dictionary<string, string>()))) psi.ArgumentList.Add(a);
            foreach (var a in new[] { "--", "/usr/bin/true" }) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000)) { p.Kill(true); return "a trial bwrap sandbox did not finish within 30 s"; }
            return p.ExitCode == 0 ? null : $"a trial bwrap sandbox failed (exit code {p.ExitCode}): {err.Result.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return $"bwrap could not be started: {e.Message}";
        }
        finally
        {
            try { Directory.Delete(scratch, true); } catch (IOException) { }
        }
    });

    /// <summary>What grading without the sandbox risks (printed when <c>grade</c> refuses, and with <c>--no-sandbox</c>).</summary>
    public const string Risk =
        "without the sandbox a submission runs as the grading user: it can read the key (hidden tests), the solution notebook " +
        "and other students' submissions, write anywhere the grading user can (other students' results, grades.csv), " +
        "open network connections, and leave processes running after grading";

    /// <summary>The bwrap arguments (before the worker's command line).</summary>
    /// <param name="workDirectory">The private writable copy shown at <paramref name="baseDirectory"/>.</param>
    /// <param name="readOnly">Folders shown read-only at their own paths (the grader's binaries, the #r folders, data).</param>
    /// <param name="socketDirectory">The grader's socket folder, shown at <see cref="SocketFolder"/>.</param>
    /// <param name="environment">The worker's whole environment.</param>
    /// <param name="declared">Files or folders (<c>metadata.grader.files</c>: host path, path relative to
    /// <paramref name="baseDirectory"/>) shown read-only inside the private folder, at that relative path.</param>
    public static List<string> Arguments(string baseDirectory, string workDirectory, IEnumerable<string> readOnly,
        string socketDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<(string Source, string Relative)>? declared = null)
    {
        var a = new List<string>
        {
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
            "--ro-bind", "/usr", "/usr",
        };
        foreach (var top in new[] { "lib", "lib64", "lib32", "bin", "sbin" })
        {
            var p = "/" + top;
            if (new FileInfo(p).LinkTarget is { } target) a.AddRange(["--symlink", target, p]);
            else if (Directory.Exists(p)) a.AddRange(["--ro-bind", p, p]);
        }
        foreach (var etc in new[] { "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives" })
            a.AddRange(["--ro-bind-try", etc, etc]);
        a.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        a.AddRange(["--bind", workDirectory, baseDirectory]);
        foreach (var (source, relative) in declared ?? [])
            a.AddRange(["--ro-bind", CheckDeclared(baseDirectory, source, relative), baseDirectory.TrimEnd('/') + "/" + relative]);
        foreach (var dir in readOnly.Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal))
            if (!dir.StartsWith("/usr/", StringComparison.Ordinal)) a.AddRange(["--ro-bind", dir, dir]);
        a.AddRange(["--bind", socketDirectory, SocketFolder, "--chdir", baseDirectory]);
        foreach (var (name, value) in environment) a.AddRange(["--setenv", name, value]);
        return a;
    }

    /// <summary>
    /// A declared file's real path, checked: it exists, it is inside the notebook's folder once links are resolved (a
    /// link out of it, e.g. to the key, is refused), and it is not, and does not hold, a notebook (a solution).
    /// </summary>
    /// <exception cref="InvalidOperationException">It is missing or not allowed (the message says which and why).</exception>
    public static string CheckDeclared(string baseDirectory, string source, string relative)
    {
        var real = Resolve(source);
        var root = (Resolve(baseDirectory) ?? Path.GetFullPath(baseDirectory)).TrimEnd('/') + "/";
        if (real is null) throw new InvalidOperationException($"metadata.grader.files: \"{relative}\" is not in {baseDirectory}");
        if (!real.StartsWith(root, StringComparison.Ordinal))
            throw new InvalidOperationException($"metadata.grader.files: \"{relative}\" leads out of the notebook's folder (to {real})");
        var notebooks = Directory.Exists(real)
            ? Directory.EnumerateFiles(real, "*.ipynb", SearchOption.AllDirectories)
            : real.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? [real] : [];
        if (notebooks.FirstOrDefault() is { } nb)
            throw new InvalidOperationException($"metadata.grader.files: \"{relative}\" holds a notebook ({nb}), which a worker must not see");
        return real;
    }

    /// <summary>
    /// Whether a file is one a sandboxed worker can load: it exists and, once links are resolved, lies in one of
    /// <paramref name="visible"/> (the folders or files the sandbox shows read-only). The grader compiles a cell's
    /// <c>#r</c> only against such a file, so what it compiled against is what the worker loads, at the same path, and
    /// a <c>#r</c> of anything else (the key, another submission) is "file not found", as inside the sandbox.
    /// </summary>
    public static Func<string, bool> Loadable(IEnumerable<string> visible)
    {
        var roots = visible.Select(v => Resolve(v)).OfType<string>().ToList();
        return path => File.Exists(path) && Resolve(path) is { } real
            && roots.Any(r => real == r || real.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal));
    }

    /// <summary>The path with every link resolved (as realpath does), or null when it does not exist.</summary>
    static string? Resolve(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        if (depth > 40 || !File.Exists(full) && !Directory.Exists(full)) return null;
        var current = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target && Resolve(Path.GetFullPath(target, current), depth + 1) is { } resolved) next = resolved;
            current = next;
        }
        return current;
    }

    /// <summary>Copies a declared file or folder (checked as for the sandbox) into <paramref name="workDirectory"/> at
    /// its relative path (for <c>--no-sandbox</c>, where nothing can be bound).</summary>
    public static void CopyInto(string baseDirectory, string relative, string workDirectory)
    {
        var real = CheckDeclared(baseDirectory, Path.Combine(baseDirectory, relative), relative);
        var destination = Path.Combine(workDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (File.Exists(real))
        {
            File.Copy(real, destination, true);
            return;
        }
        foreach (var f in Directory.EnumerateFiles(real, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(destination, Path.GetRelativePath(real, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to, true);
        }
    }

    /// <summary>The worker's environment: only what the runtime needs, plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string> Environment(string dotnetRoot, IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["DOTNET_ROOT"] = dotnetRoot,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_TieredPGO"] = "0",
        };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    /// <summary>The dotnet host running this process (so the worker uses the same runtime).</summary>
    public static string DotnetHost()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p)) return Path.GetFullPath(p);
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var exe = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(exe) ? exe : FindOnPath("dotnet") ?? "dotnet";
    }

    static string? FindOnPath(string name)
    {
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var f = Path.Combine(dir, name);
            if (File.Exists(f)) return f;
        }
        return null;
    }
}
