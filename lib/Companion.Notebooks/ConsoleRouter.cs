using System.Text;

namespace Companion.Notebooks;

/// <summary>
/// Routes <see cref="Console.Out"/>, <see cref="Console.Error"/> and <see cref="Console.In"/> to the cell that is running in the current async flow,
/// so several in-process kernels (e.g. parallel tests) never see each other's output. Writes from outside any cell go to
/// the original console.
/// </summary>
internal static class ConsoleRouter
{
    static readonly AsyncLocal<(TextWriter Out, TextWriter Err, TextReader In)?> Current = new();
    static readonly Lock Gate = new();
    static bool installed;

    /// <summary>Makes the console writers route through this class (once per process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (installed) return;
            Console.SetOut(new Router(Console.Out, isError: false));
            Console.SetError(new Router(Console.Error, isError: true));
            Console.SetIn(new InputRouter(Console.In));
            installed = true;
        }
    }

    /// <summary>Sends this async flow's console output to the given writers until the returned scope is disposed.</summary>
    public static IDisposable Capture(TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        Install();
        var previous = Current.Value;
        Current.Value = (stdout, stderr, stdin);
        return new Scope(previous);
    }

    sealed class Scope((TextWriter Out, TextWriter Err, TextReader In)? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    sealed class Router(TextWriter original, bool isError) : TextWriter
    {
        TextWriter Target => Current.Value is { } c ? (isError ? c.Err : c.Out) : original;
        public override Encoding Encoding => original.Encoding;
        public override void Write(char value) => Target.Write(value);
        public override void Write(string? value) => Target.Write(value);
        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
        public override void Write(ReadOnlySpan<char> buffer) => Target.Write(buffer);
        public override void WriteLine(string? value) => Target.WriteLine(value);
        public override void WriteLine(ReadOnlySpan<char> buffer) => Target.WriteLine(buffer);
        public override void WriteLine() => Target.WriteLine();
        public override void Flush() => Target.Flush();
    }

    sealed class InputRouter(TextReader original) : TextReader
    {
        TextReader Source => Current.Value is { } c ? c.In : original;
        public override int Peek() => Source.Peek();
        public override int Read() => Source.Read();
        public override string? ReadLine() => Source.ReadLine();
        public override int Read(char[] buffer, int index, int count) => Source.Read(buffer, index, count);
        public override string ReadToEnd() => Source.ReadToEnd();
    }
}
