namespace Companion;

/// <summary>
/// Cooperative interruption of long computations (training loops, ODE integration, k-means, Lanczos): the loops of this
/// library and of <c>Companion.Networks</c> call <see cref="Check"/> once per iteration, and a host that wants to stop
/// them (the notebook engine, when the user interrupts a cell or a cell runs past its timeout) calls
/// <see cref="Request"/>. The request stays in force until <see cref="Reset"/>, so code that catches the exception and
/// loops on is stopped again at its next check. This type knows nothing of the engine: the engine finds it by name.
/// </summary>
public static class Interruption
{
    static volatile bool requested;
    static CancellationTokenSource source = new();

    /// <summary>Whether a stop was requested and not yet reset.</summary>
    public static bool IsRequested => requested;

    /// <summary>Cancelled when a stop is requested (for APIs that take a token); a fresh one after <see cref="Reset"/>.</summary>
    public static CancellationToken Token => Volatile.Read(ref source).Token;

    /// <summary>Throws <see cref="KeyboardInterruptException"/> when a stop was requested; otherwise one volatile read.</summary>
    /// <exception cref="KeyboardInterruptException">A stop was requested.</exception>
    public static void Check()
    {
        if (requested) Throw();
    }

    static void Throw() => throw new KeyboardInterruptException(Token);

    /// <summary>Asks every loop that checks to stop.</summary>
    public static void Request()
    {
        requested = true;
        try { Volatile.Read(ref source).Cancel(); }
        catch (AggregateException) { } // a registered callback threw: the flag is set all the same
    }

    /// <summary>Withdraws the request (before the next computation starts).</summary>
    public static void Reset()
    {
        if (!requested && !Volatile.Read(ref source).IsCancellationRequested) return;
        requested = false;
        // The old source is not disposed: a loop may still hold its token.
        Volatile.Write(ref source, new CancellationTokenSource());
    }
}

/// <summary>A computation stopped because <see cref="Interruption.Request"/> was called (Python's <c>KeyboardInterrupt</c>).</summary>
public sealed class KeyboardInterruptException : OperationCanceledException
{
    public KeyboardInterruptException() : base("interrupted") { }

    public KeyboardInterruptException(string message) : base(message) { }

    public KeyboardInterruptException(string message, Exception inner) : base(message, inner) { }

    /// <param name="token">The token that was cancelled.</param>
    public KeyboardInterruptException(CancellationToken token) : base("interrupted", token) { }
}
