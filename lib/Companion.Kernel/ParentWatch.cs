using System.Diagnostics;
using System.Globalization;

namespace Companion.Kernel;

/// <summary>
/// Ends the kernel when the process that started it is gone, as ipykernel's parent poller does, so a front end that
/// dies (killed, crashed) leaves no kernel and no worker behind. Watched every <see cref="Interval"/>: the process named
/// by <c>JPY_PARENT_PID</c> (jupyter_client sets it to its own pid on Unix; on Windows it is a handle and not used), and
/// on Linux the kernel's own parent: once it changes (the kernel was re-parented to init or a subreaper) the parent died.
/// </summary>
public sealed class ParentWatch : IDisposable
{
    /// <summary>How often the parent is checked (ipykernel: 1 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    readonly Timer timer;
    readonly int? jupyterParent;
    readonly int? startingParent;
    int fired;

    /// <param name="onGone">Called once, on a timer thread, when the parent is gone (with the reason).</param>
    public ParentWatch(Action<string> onGone)
    {
        if (!OperatingSystem.IsWindows() && int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"),
                NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid > 1)
            jupyterParent = pid;
        startingParent = ParentProcessId();
        timer = new Timer(_ =>
        {
            if (Gone() is { } why && Interlocked.Exchange(ref fired, 1) == 0) onGone(why);
        }, null, Interval, Interval);
    }

    /// <summary>Why the parent counts as gone, or null while it lives.</summary>
    string? Gone()
    {
        if (jupyterParent is { } p && !IsAlive(p)) return $"its parent process {p} (JPY_PARENT_PID) is gone";
        if (startingParent is { } s and > 1 && ParentProcessId() is { } now && now != s)
            return $"its parent process {s} is gone (re-parented to {now})";
        return null;
    }

    /// <summary>This process's parent on Linux (<c>/proc/self/stat</c>, field 4), else null.</summary>
    static int? ParentProcessId()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException) { return null; }
    }

    static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie (dead, not yet reaped) still has /proc/PID: its state letter is Z.
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return true; }
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose() => timer.Dispose();
}
