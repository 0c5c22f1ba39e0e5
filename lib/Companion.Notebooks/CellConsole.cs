using System.Diagnostics;
using System.Text;

namespace Companion.Notebooks;

/// <summary>
/// The console a running cell sees: <see cref="Out"/> and <see cref="Error"/> turn writes into <c>stream</c> events,
/// batched (a chunk goes out at once when none went out in the last <see cref="FlushInterval"/>, later writes within
/// that window are sent by a timer, or when <see cref="MaxPending"/> characters are waiting), so that output reaches the
/// caller while the cell runs and a million <c>Console.WriteLine</c> calls cost linear time. <see cref="In"/> asks the
/// caller's input callback for each line; without one it fails at once.
/// </summary>
internal sealed class CellConsole : IDisposable
{
    /// <summary>Longest time console text waits before it is sent as an event.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Pending text that triggers an immediate flush.</summary>
    public const int MaxPending = 1 << 16;

    readonly Action<string, string> emit;
    readonly Func<string, bool, string?>? onInput;
    readonly int cellNumber;
    readonly Lock gate = new();
    // Console.Out (a synchronized writer): every Console.Write holds its monitor, and on Unix the runtime takes it again
    // to write to a console stream. Taking it before our own lock everywhere keeps one lock order, so a timer flush
    // whose event handler writes to the console cannot deadlock with a cell that is writing.
    readonly object consoleMonitor;
    readonly StringBuilder pending = new();
    readonly Timer timer;
    long lastFlush; // Stopwatch timestamp of the last flush; 0 before the first
    string pendingStream = "stdout";
    string currentLine = ""; // stdout text after the last newline: the prompt of a ReadLine
    bool timerArmed;
    bool disposed;

    /// <param name="emit">Receives (stream name, text) in program order; called under this console's lock.</param>
    public CellConsole(int cellNumber, Action<string, string> emit, Func<string, bool, string?>? onInput)
    {
        this.cellNumber = cellNumber;
        this.emit = emit;
        this.onInput = onInput;
        ConsoleRouter.Install();
        consoleMonitor = Console.Out;
        timer = new Timer(_ => Flush());
        Out = new Writer(this, "stdout");
        Error = new Writer(this, "stderr");
        In = new Reader(this);
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public TextReader In { get; }

    /// <summary>Runs <paramref name="action"/> after sending pending console text, under the lock that orders events
    /// (for display events, so they come after the text written before them).</summary>
    public void AfterPendingText(Action action)
    {
        lock (consoleMonitor)
            lock (gate)
            {
                FlushLocked();
                action();
            }
    }

    void Write(string stream, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        lock (consoleMonitor)
        lock (gate)
        {
            if (disposed) return; // a background thread of a finished cell
            if (pending.Length > 0 && pendingStream != stream) FlushLocked();
            pendingStream = stream;
            pending.Append(text);
            if (stream == "stdout")
            {
                int nl = text.LastIndexOf('\n');
                currentLine = nl >= 0 ? text[(nl + 1)..].ToString() : currentLine + text.ToString();
                if (currentLine.Length > 4096) currentLine = currentLine[^4096..];
            }
            bool due = lastFlush == 0 || Stopwatch.GetElapsedTime(lastFlush) >= FlushInterval;
            if (pending.Length >= MaxPending || due && !timerArmed)
                FlushLocked();
            else if (!timerArmed && !disposed)
            {
                timerArmed = true;
                timer.Change(FlushInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends any pending text now (before a display event, at the end of the cell, before the process exits).</summary>
    public void Flush()
    {
        lock (consoleMonitor)
            lock (gate)
                FlushLocked();
    }

    void FlushLocked()
    {
        timerArmed = false;
        if (pending.Length == 0) return;
        var text = pending.ToString();
        pending.Clear();
        lastFlush = Stopwatch.GetTimestamp();
        emit(pendingStream, text);
    }

    string? ReadLine()
    {
        string prompt;
        lock (consoleMonitor)
            lock (gate)
            {
                // The text written since the last newline is the prompt. A front end shows the prompt beside its input
                // box, so text not yet sent goes only there (not also as output: "Your name? Your name?").
                prompt = currentLine;
                if (onInput is not null && pendingStream == "stdout" && prompt.Length > 0 && pending.Length >= prompt.Length
                    && pending.ToString(pending.Length - prompt.Length, prompt.Length) == prompt)
                    pending.Length -= prompt.Length;
                else if (onInput is not null)
                    prompt = ""; // already shown as output
                FlushLocked();
            }
        if (onInput is null)
            throw new InvalidOperationException(
                $"cell {cellNumber} asked for console input (Console.ReadLine/Console.Read), but no input can be typed here " +
                "(a headless run, or a front end that does not allow input); set the value in the cell instead, or in the " +
                "notebook's parameters cell (the runner's -p NAME=VALUE)");
        var line = onInput(prompt, false);
        lock (gate) currentLine = "";
        return line;
    }

    public void Dispose()
    {
        lock (consoleMonitor)
            lock (gate)
            {
                FlushLocked();
                disposed = true;
            }
        timer.Dispose();
    }

    sealed class Writer(CellConsole console, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => console.Write(stream, [value]);
        public override void Write(string? value) => console.Write(stream, value);
        public override void Write(char[] buffer, int index, int count) => console.Write(stream, buffer.AsSpan(index, count));
        public override void Write(ReadOnlySpan<char> buffer) => console.Write(stream, buffer);
        public override void WriteLine(string? value) => console.Write(stream, (value ?? "") + CoreNewLineStr);
        public override void WriteLine(ReadOnlySpan<char> buffer) => console.Write(stream, string.Concat(buffer, CoreNewLineStr));
        public override void WriteLine() => console.Write(stream, CoreNewLineStr);
        public override void Flush() => console.Flush();
        const string CoreNewLineStr = "\n";
    }

    /// <summary>Console input: each <see cref="ReadLine"/> asks the caller; <see cref="Read()"/> consumes the line char by char.</summary>
    sealed class Reader(CellConsole console) : TextReader
    {
        string? buffer = "";
        int at;
        bool eof;

        bool Fill()
        {
            if (eof) return false;
            if (buffer is not null && at < buffer.Length) return true;
            var line = console.ReadLine();
            if (line is null) { eof = true; return false; }
            (buffer, at) = (line + "\n", 0);
            return true;
        }

        public override string? ReadLine()
        {
            if (buffer is not null && at < buffer.Length)
            {
                var rest = buffer[at..].TrimEnd('\n');
                at = buffer.Length;
                return rest;
            }
            if (eof) return null;
            var line = console.ReadLine();
            if (line is null) eof = true;
            return line;
        }

        public override int Read() => Fill() ? buffer![at++] : -1;
        public override int Peek() => Fill() ? buffer![at] : -1;
    }
}
