using System.Reflection;

namespace Companion.Notebooks;

/// <summary>
/// The flag that makes running cell code stop: <see cref="InterruptionCheckpoints"/> puts a call to <see cref="Check"/>
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

    static volatile bool requested;

    /// <summary>Whether a stop was requested for the running cell.</summary>
    public static bool IsRequested => requested;

    /// <summary>Called by the instrumented cell code: throws <see cref="CellInterruptedException"/> when a stop was
    /// requested; otherwise one volatile read.</summary>
    /// <exception cref="CellInterruptedException">The cell was interrupted.</exception>
    public static void Check()
    {
        if (requested) throw new CellInterruptedException();
    }

    /// <summary>Asks the running cell, and the library's loops, to stop at their next check.</summary>
    public static void Request()
    {
        requested = true;
        CallLibrary("Request");
    }

    /// <summary>Withdraws the request (before the next cell starts).</summary>
    public static void Reset()
    {
        if (!requested) return;
        requested = false;
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
