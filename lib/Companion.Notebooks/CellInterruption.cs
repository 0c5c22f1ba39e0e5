using System.Reflection;

namespace Companion.Notebooks;

/// <summary>
/// The flag that makes running cell code stop: <see cref="InterruptionCheckpoints"/> puts a test of <see cref="Requested"/>
/// at every loop back-edge and method, local-function and lambda entry of a cell, and the worker calls
/// <see cref="Request"/> when the user interrupts the cell or it runs past its timeout. The request also reaches the
/// maths library's own loops (training, integrators, k-means, Lanczos) through <c>Companion.Interruption</c>, found by
/// name in the loaded assemblies, so the library does not depend on this engine. The request stays in force until
/// <see cref="Reset"/> (before the next cell), so a cell that catches the exception and loops on is stopped again.
/// </summary>
public static class CellInterruption
{
    const string LibraryAssembly = "Companion";
    const string LibraryType = "Companion.Interruption";

    /// <summary>Whether a stop was requested for the running cell. A field, not a property, because cells are compiled
    /// without optimisation (for their debug information) and a call at every loop iteration made a tight loop ~1.6×
    /// slower; the checkpoint reads it inline and calls <see cref="Stop"/> only when it is set. Set it through
    /// <see cref="Request"/> and <see cref="Reset"/> only.</summary>
#pragma warning disable CA2211 // a public mutable field: read by the generated checkpoints (see above)
    public static volatile bool Requested;
#pragma warning restore CA2211

    /// <summary>Whether a stop was requested for the running cell.</summary>
    public static bool IsRequested => Requested;

    /// <summary>Throws <see cref="CellInterruptedException"/> when a stop was requested; otherwise one volatile read.</summary>
    /// <exception cref="CellInterruptedException">The cell was interrupted.</exception>
    public static void Check()
    {
        if (Requested) Stop();
    }

    /// <summary>Throws <see cref="CellInterruptedException"/> (the checkpoints call it once they see <see cref="Requested"/>).</summary>
    /// <exception cref="CellInterruptedException">Always.</exception>
    public static void Stop() => throw new CellInterruptedException();

    /// <summary>Asks the running cell, and the library's loops, to stop at their next check.</summary>
    public static void Request()
    {
        Requested = true;
        CallLibrary("Request");
    }

    /// <summary>Withdraws the request (before the next cell starts).</summary>
    public static void Reset()
    {
        if (!Requested) return;
        Requested = false;
        CallLibrary("Reset");
    }

    /// <summary>Calls <c>Companion.Interruption.Request/Reset</c> in every loaded copy of the maths library (notebooks
    /// load it with <c>#r</c>; none loaded: nothing to do).</summary>
    static void CallLibrary(string method)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name != LibraryAssembly) continue;
            try { assembly.GetType(LibraryType)?.GetMethod(method, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null); }
            catch (TargetInvocationException) { } // an older library without the type's contract: its loops just do not stop early
        }
    }
}

/// <summary>Thrown inside a cell at a checkpoint after the cell was interrupted (Python's <c>KeyboardInterrupt</c>).</summary>
public sealed class CellInterruptedException : OperationCanceledException
{
    public CellInterruptedException() : base("the cell was interrupted") { }

    public CellInterruptedException(string message) : base(message) { }

    public CellInterruptedException(string message, Exception inner) : base(message, inner) { }
}
