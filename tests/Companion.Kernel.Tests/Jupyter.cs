using System.Diagnostics;
using Companion.Kernel;

namespace Companion.Kernel.Tests;

/// <summary>
/// A private Jupyter setup for a test: this build's kernel installed into a temporary prefix, as <c>companion-csharp</c>
/// and as <c>.net-csharp</c> (the notebooks' kernelspec name), and the environment that makes Jupyter's Python tools
/// (Debian's /usr/bin/python3) see only it, with runtime and data folders of their own.
/// </summary>
public sealed class Jupyter : IDisposable
{
    public const string Python = "/usr/bin/python3";

    public string Root { get; } = Directory.CreateTempSubdirectory("jupyter-test-").FullName;

    public Jupyter()
    {
        KernelSpec.Install(Root, alias: false);
        KernelSpec.Install(Root, KernelSpec.NotebookName);
    }

    public string KernelsDir => KernelSpec.KernelsDir(Root);

    /// <summary>The environment for Jupyter processes: the kernelspecs of <see cref="Root"/> first on JUPYTER_PATH.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["JUPYTER_PATH"] = Path.Combine(Root, "share", "jupyter"),
        ["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data"),
        ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
        ["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config"),
        ["IPYTHONDIR"] = Path.Combine(Root, "ipython"),
        ["PYTHONDONTWRITEBYTECODE"] = "1",
    };

    /// <summary>Starts a process with <see cref="Environment"/>, output redirected.</summary>
    public Process Start(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>Runs a process to the end: exit code, stdout, stderr.</summary>
    public async Task<(int Code, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        string? workingDirectory = null)
    {
        using var p = Start(file, args, workingDirectory);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s\n{await stderr}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root (the folder holding Companion.sln).</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Companion.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Companion.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A script of the Python driver folder (copied beside the tests).</summary>
    public static string Driver(string name) => Path.Combine(AppContext.BaseDirectory, "driver", name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
