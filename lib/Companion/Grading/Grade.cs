using System.Collections;
using System.Globalization;

namespace Companion.Grading;

/// <summary>
/// The autograder's value-emitting test form, for notebooks that load this library: a hidden test cell calls
/// <c>Companion.Grading.Grade.Emit("name", value)</c>, and the grader (nbgrade), outside the student's process, compares
/// the value with the one the solution emitted when the assignment was made (docs/grader-security.md). It lives in the
/// library, not in the engine, so the same cell runs under .NET Interactive and Jupyter, where it prints the value;
/// the grading worker finds this type when the notebook loads the library and redirects it (<see cref="Redirect"/>).
/// The engine's own <c>Grade</c> (imported in every session of the project's engine) does the same for notebooks that
/// do not load the library; call this one fully qualified so the two names never clash.
/// </summary>
public static class Grade
{
    private static volatile Action<string, object?, double>? sink;

    /// <summary>Emits <paramref name="value"/> under <paramref name="name"/>; numbers match the solution's within
    /// <paramref name="tolerance"/> (relative to the solution's magnitude, and absolute near zero).</summary>
    public static void Emit(string name, object? value, double tolerance = 1e-6)
    {
        if (sink is { } s) s(name, value, tolerance);
        else Console.WriteLine($"{name} = {Describe(value)}");
    }

    /// <summary>Sends every later <see cref="Emit"/> to <paramref name="receiver"/> (name, value, tolerance); the grading
    /// worker calls it, by reflection, once this assembly is loaded.</summary>
    public static void Redirect(Action<string, object?, double>? receiver) => sink = receiver;

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IFormattable f when value is not IEnumerable => f.ToString("G6", CultureInfo.InvariantCulture),
        Array a => $"[{string.Join("×", Enumerable.Range(0, a.Rank).Select(a.GetLength))}] " +
            string.Join(", ", a.Cast<object?>().Take(8).Select(Describe)) + (a.Length > 8 ? ", …" : ""),
        _ => value.ToString() ?? "",
    };
}
