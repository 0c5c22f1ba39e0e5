using System.Collections.Concurrent;
using System.Diagnostics;

namespace Companion.Testing;

/// <summary>
/// What a test needs from outside .NET: a browser, or Debian's Python packages. Where one is missing the test is
/// reported as skipped, with the missing tool and the Debian package that provides it; under <c>CI=true</c> (.ci/run
/// installs every tool) the same message fails the test instead, so CI never passes by skipping. One file, linked into
/// each test project that needs it (tests/Shared/), used by the tests' first line: <c>ToolRequirements.Chromium()</c>,
/// <c>ToolRequirements.PythonModules("jupyter_client")</c>; such tests are <c>[SkippableFact]</c>s.
/// </summary>
public static class ToolRequirements
{
    /// <summary>Debian's own Python, which the apt packages below install into (not a pyenv python3 earlier on PATH).</summary>
    public const string SystemPython = "/usr/bin/python3";

    /// <summary>The Debian package that provides each Python module the tests import.</summary>
    static readonly Dictionary<string, string> DebianPackage = new(StringComparer.Ordinal)
    {
        ["jupyter_client"] = "python3-jupyter-client",
        ["zmq"] = "python3-zmq",
        ["nbclient"] = "python3-nbclient",
        ["nbconvert"] = "jupyter-nbconvert",
        ["notebook"] = "jupyter-notebook",
        ["nbformat"] = "python3-nbformat",
    };

    static readonly ConcurrentDictionary<string, bool> ImportCache = new(StringComparer.Ordinal);

    /// <summary>Whether this run is CI's (<c>CI=true</c>), where a missing tool is a failure, not a skip.</summary>
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>
    /// Skips the test with every non-null <paramref name="missing"/> as the reason (under CI: fails with them); nothing
    /// when all are null. Each is what <see cref="MissingChromium"/> or <see cref="MissingPythonModules"/> says.
    /// </summary>
    public static void Require(params string?[] missing)
    {
        var reasons = (missing ?? []).OfType<string>().ToList();
        if (reasons.Count == 0) return;
        var reason = string.Join("; ", reasons);
        if (InCi) Assert.Fail($"CI=true, and {reason} (.ci/run installs it)");
        Skip.If(true, reason);
    }

    /// <summary>The path of Chromium (Debian package <c>chromium</c>); skips (under CI: fails) when it is not on PATH.</summary>
    public static string Chromium()
    {
        Require(MissingChromium());
        return FindChromium()!;
    }

    /// <summary>What is missing for Chromium (the tool and its apt package), or null when it is on PATH.</summary>
    public static string? MissingChromium() => FindChromium() is null ? "chromium is not installed (apt-get install chromium)" : null;

    /// <summary>Chromium on PATH, or null.</summary>
    public static string? FindChromium() => new[] { "chromium", "chromium-browser" }.Select(OnPath).FirstOrDefault(p => p is not null);

    /// <summary>Requires that Debian's python3 imports every one of <paramref name="modules"/>.</summary>
    public static void PythonModules(params string[] modules) => Require(MissingPythonModules(modules));

    /// <summary>What is missing for <paramref name="modules"/> (tools and the apt command that installs them), or null when nothing is.</summary>
    public static string? MissingPythonModules(params string[] modules)
    {
        if (modules.Length == 0) return null;
        if (!File.Exists(SystemPython)) return $"{SystemPython} is not installed (apt-get install python3 {string.Join(' ', modules.Select(Package).Distinct())})";
        var missing = modules.Where(m => !ImportCache.GetOrAdd(m, Imports)).ToList();
        if (missing.Count == 0) return null;
        return $"{SystemPython} cannot import {string.Join(", ", missing)} (apt-get install {string.Join(' ', missing.Select(Package).Distinct())})";
    }

    static string Package(string module) => DebianPackage.TryGetValue(module, out var p) ? p : $"python3-{module.Replace('_', '-')}";

    static bool Imports(string module)
    {
        var psi = new ProcessStartInfo(SystemPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", $"import {module}" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(entireProcessTree: true); return false; }
        return p.ExitCode == 0;
    }

    static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
