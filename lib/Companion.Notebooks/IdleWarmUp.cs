namespace Companion.Notebooks;

/// <summary>
/// Runs typical notebook cells in a throwaway session while the worker is idle, so that the runtime's tiered JIT has
/// promoted Roslyn's compile path before the user's cells need it: measured from jupyter_client, a trivial cell's round
/// trip 8 s after the kernel started is ~15 ms median, against ~25–28 ms for cells sent back to back from the start. It yields at once to real work: <see cref="Pause"/> cancels the compile in
/// flight, and it only goes on once the worker has been idle for <see cref="QuietPeriod"/> after <see cref="Resume"/>,
/// so cells sent back to back (nbclient, the runner, a benchmark) never meet it: it uses a person's reading time.
/// It starts paused. The throwaway sessions share nothing with the user's.
/// </summary>
internal sealed class IdleWarmUp : IDisposable
{
    /// <summary>Cells in the style of the notebooks (declarations, LINQ, a local function, a record, console output,
    /// a loop, a display call), run in order as one session's chain of submissions.</summary>
    static readonly string[] Cells =
    [
        "var xs = Enumerable.Range(0, 100).Select(i => i * 0.1).ToArray();",
        "xs.Length",
        "double Square(double v) => v * v;\nvar total = xs.Sum(Square);",
        "record Point(double X, double Y);\nvar p = new Point(1, 2);\np",
        "Console.WriteLine($\"total = {total:F3}\");",
        "var names = new List<string> { \"a\", \"b\" };\nstring.Join(\",\", names)",
        "for (int i = 0; i < 3; i++) { total += i; }\ntotal",
        "display(p);",
    ];

    readonly string baseDirectory;
    readonly int rounds;
    readonly Lock gate = new();
    /// <summary>How long the worker must have been idle before a warm-up cell starts.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(250);

    readonly ManualResetEventSlim idle = new(false);
    readonly Thread thread;
    CancellationTokenSource cancel = new();
    long resumedAt;
    int cellsRun;
    volatile bool disposed;

    /// <param name="rounds">How many times the cells are run in all (each round in a fresh throwaway session).</param>
    public IdleWarmUp(string baseDirectory, int rounds = 5)
    {
        this.baseDirectory = baseDirectory;
        this.rounds = rounds;
        thread = new Thread(Run) { IsBackground = true, Name = "idle warm-up", Priority = ThreadPriority.BelowNormal };
        thread.Start();
    }

    /// <summary>How many warm-up cells have run to the end.</summary>
    public int CellsRun => Volatile.Read(ref cellsRun);

    /// <summary>How many cells one round runs.</summary>
    public static int CellsPerRound => Cells.Length;

    /// <summary>Real work arrived: stop the warm-up cell in flight and wait.</summary>
    public void Pause()
    {
        lock (gate)
        {
            idle.Reset();
            cancel.Cancel();
        }
    }

    /// <summary>The worker is idle again: go on.</summary>
    public void Resume()
    {
        lock (gate)
        {
            if (cancel.IsCancellationRequested)
            {
                cancel.Dispose();
                cancel = new CancellationTokenSource();
            }
            resumedAt = Environment.TickCount64;
            idle.Set();
        }
    }

    void Run()
    {
        for (int round = 0; round < rounds && !disposed; round++)
        {
            using var session = new ScriptKernel(baseDirectory);
            for (int i = 0; i < Cells.Length && !disposed; i++)
            {
                idle.Wait();
                CancellationToken token;
                long quietSince;
                lock (gate) (token, quietSince) = (cancel.Token, resumedAt);
                var wait = quietSince + (long)QuietPeriod.TotalMilliseconds - Environment.TickCount64;
                if (wait > 0 && token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait))) { i--; continue; } // paused while waiting
                if (disposed) return;
                var r = session.ExecuteAsync(i + 1, Cells[i], Timeout.InfiniteTimeSpan, null, token).GetAwaiter().GetResult();
                if (token.IsCancellationRequested) { i--; continue; } // interrupted: run this cell again later
                if (r.Failed) return; // cannot happen with these cells; never loop on a broken setup
                Interlocked.Increment(ref cellsRun);
            }
        }
        // The throwaway sessions are garbage now: give their memory back to the system (once, while still idle), so
        // the warm-up costs the worker little resident memory (measured: ~+150 MB without this).
        idle.Wait();
        if (!disposed) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose()
    {
        disposed = true;
        Pause();
    }
}
