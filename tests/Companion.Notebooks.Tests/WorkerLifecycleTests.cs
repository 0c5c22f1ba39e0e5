using System.Diagnostics;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>No orphaned worker: the worker dies with the runner however the runner ends (Linux: reads /proc).</summary>
public class WorkerLifecycleTests
{
    /// <summary>How long a worker may take to notice its parent is gone (its check runs every 0.5 s; a loaded machine).</summary>
    static readonly TimeSpan DeathLimit = TimeSpan.FromSeconds(20);

    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);

    /// <summary>Starts nbrun on a notebook whose cell spins forever; returns the runner and its worker's pid.</summary>
    static (Process Runner, int WorkerPid) StartSpinningRun()
    {
        var dir = TempDir();
        var path = Save(Make("Console.WriteLine(\"spin\");\nwhile (true) { }"), dir);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "nbrun.dll"), path, "-o", Path.Combine(dir, "out"), "--no-pages" })
            psi.ArgumentList.Add(a);
        var runner = Process.Start(psi)!;
        _ = runner.StandardOutput.ReadToEndAsync();
        _ = runner.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit)
        {
            if (Children(runner.Id).FirstOrDefault() is int worker and > 0)
            {
                Thread.Sleep(2000); // let it reach the spinning cell
                return (runner, worker);
            }
            Thread.Sleep(100);
        }
        runner.Kill(true);
        throw new TimeoutException("the runner started no worker");
    }

    /// <summary>Worker processes whose parent is <paramref name="pid"/>.</summary>
    static IEnumerable<int> Children(int pid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
            string stat, cmd;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
                cmd = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && cmd.Contains("Companion.Notebooks.Worker.dll", StringComparison.Ordinal))
                yield return child;
        }
    }

    static bool DiesWithin(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (!WorkerKernelTests.ProcessAlive(pid) || IsZombie(pid)) return true;
            Thread.Sleep(100);
        }
        return false;
    }

    static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return true; }
    }

    /// <summary>Whether this process ignores signal <paramref name="number"/> (its SigIgn mask in /proc/self/status).</summary>
    static bool IgnoredHere(int number)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & (1UL << (number - 1))) != 0;
    }

    static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public void The_runner_stops_its_worker_on_a_signal(string signal, int exitCode)
    {
        // A job started in the background of a non-interactive shell (`cmd &`, nohup) inherits SIGINT as ignored, and
        // so does every process it starts: the runner then never sees the signal, as the OS intends. Nothing to test.
        if (signal == "INT" && IgnoredHere(2)) return;
        var (runner, worker) = StartSpinningRun();
        Signal(runner.Id, signal);
        Assert.True(runner.WaitForExit(DeathLimit), "the runner ended");
        Assert.Equal(exitCode, runner.ExitCode);
        var gone = DiesWithin(worker, DeathLimit);
        if (!gone) Signal(worker, "KILL");
        Assert.True(gone, $"worker {worker} still running after SIG{signal} to the runner");
    }

    [Fact]
    public void The_worker_dies_when_the_runner_is_killed()
    {
        var (runner, worker) = StartSpinningRun();
        runner.Kill(); // SIGKILL: nothing in the runner runs
        runner.WaitForExit();
        var gone = DiesWithin(worker, DeathLimit);
        if (!gone) Signal(worker, "KILL");
        Assert.True(gone, $"worker {worker} still running after the runner was killed");
    }
}
