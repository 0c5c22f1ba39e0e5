using System.Text;

namespace Companion.Notebooks;

/// <summary>
/// Routes <see cref="Console.Out"/> and <see cref="Console.Error"/> to the cell that is running in the current async flow,
/// so several in-process kernels (e.g. parallel tests) never see each other's output. Writes from outside any cell go to
/// the original console.
/// </summary>
internal static class ConsoleRouter
{
    static readonly AsyncLocal<(TextWriter Out, TextWriter Err)?> Current = new();
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
            installed = true;
        }
    }

    /// <summary>Sends this async flow's console output to the given writers until the returned scope is disposed.</summary>
    public static IDisposable Capture(TextWriter stdout, TextWriter stderr)
    {
        Install();
        var previous = Current.Value;
        Current.Value = (stdout, stderr);
        return new Scope(previous);
    }

    sealed class Scope((TextWriter Out, TextWriter Err)? previous) : IDisposable
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
        public override void WriteLine(string? value) => Target.WriteLine(value);
        public override void Flush() => Target.Flush();
    }
}
