using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Companion.Claims;

/// <summary>
/// A notebook's observations, stated as checked claims. A sentence that reports a result is built from the computed
/// values (string interpolation) and printed together with whether its condition holds:
/// <code>
/// Claims.Check(gap &lt; 1e-10, $"A from finite differences matches the library's A (max gap {gap:E1} &lt; 1e-10)");
/// </code>
/// prints <c>✔ claim holds: …</c>. When the condition fails at the parameters the claims were written for (see
/// <see cref="WrittenFor{T}"/>), the cell fails with a <see cref="ClaimFailedException"/>, so the notebook test and CI
/// fail; under other parameters (<c>nbrun -p</c>, a student's edit) the sentence is printed as
/// <c>✘ claim not holding here (…): …</c> with the parameters that differ, and the notebook goes on.
/// The runner counts the printed lines (<see cref="HoldsPrefix"/>, <see cref="NotHoldingPrefix"/>) and failed claims
/// (the exception's name), so the count works with any kernel that shows a cell's console output.
/// State is per process (one notebook session per kernel or worker); <see cref="WrittenFor{T}"/> resets it.
/// </summary>
public static class Claims
{
    /// <summary>The start of the line printed for a claim that holds.</summary>
    public const string HoldsPrefix = "✔ claim holds: ";

    /// <summary>The start of the line printed for a claim that does not hold under parameters it was not written for.</summary>
    public const string NotHoldingPrefix = "✘ claim not holding here";

    private static string? differences;

    /// <summary>
    /// Records the parameter values the notebook's claims were written for, next to the values in use; call it at the end
    /// of the parameters cell with the same names in the same order:
    /// <c>Claims.WrittenFor(new { seed = 0, steps = 300 }, new { seed, steps });</c>
    /// (one anonymous type for both, so the compiler checks names, order and types). Where all values are equal, a claim
    /// that does not hold fails its cell; where any differs, it is printed as not holding here. Arrays compare by element.
    /// </summary>
    /// <returns>Whether the values in use are the ones the claims were written for.</returns>
    public static bool WrittenFor<T>(T writtenFor, T current) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(writtenFor);
        ArgumentNullException.ThrowIfNull(current);
        var changed = new List<string>();
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? a = p.GetValue(writtenFor), b = p.GetValue(current);
            if (!SameValue(a, b)) changed.Add($"{p.Name} = {Show(b)}, written for {Show(a)}");
        }
        differences = changed.Count == 0 ? null : string.Join("; ", changed);
        if (differences is not null)
            Console.WriteLine($"Parameters differ from those the claims were written for ({differences}): " +
                "a claim that does not hold is reported as not holding here instead of failing the cell.");
        return differences is null;
    }

    /// <summary>Whether the parameters in use are those the claims were written for (true before any
    /// <see cref="WrittenFor{T}"/> call: claims are then checked strictly).</summary>
    public static bool AtWrittenParameters => differences is null;

    /// <summary>
    /// States a result: prints <paramref name="sentence"/> as holding when <paramref name="holds"/> is true; otherwise
    /// throws <see cref="ClaimFailedException"/> at the written-for parameters, or prints it as not holding here.
    /// </summary>
    /// <param name="holds">The condition the sentence asserts, computed from the same values it prints.</param>
    /// <param name="sentence">The sentence a reader sees, with the numbers that decide it.</param>
    /// <returns><paramref name="holds"/>, so a later sentence can depend on it.</returns>
    public static bool Check(bool holds, string sentence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sentence);
        if (holds)
        {
            Console.WriteLine(HoldsPrefix + sentence);
            return true;
        }
        if (differences is null)
            throw new ClaimFailedException(sentence);
        Console.WriteLine($"{NotHoldingPrefix} ({differences}): {sentence}");
        return false;
    }

    /// <summary>States that <paramref name="value"/> lies in [<paramref name="low"/>, <paramref name="high"/>]; the
    /// sentence gets the value and the interval appended, e.g. "… (0.0132 in [0, 0.05])".</summary>
    public static bool InRange(string sentence, double value, double low, double high, string format = "G4") =>
        Check(value >= low && value <= high,
            $"{sentence} ({Num(value, format)} in [{Num(low, format)}, {Num(high, format)}])");

    /// <summary>States <paramref name="value"/> &lt; <paramref name="bound"/>, appending "(value &lt; bound)".</summary>
    public static bool Below(string sentence, double value, double bound, string format = "G4") =>
        Check(value < bound, $"{sentence} ({Num(value, format)} < {Num(bound, format)})");

    /// <summary>States <paramref name="value"/> &gt; <paramref name="bound"/>, appending "(value &gt; bound)".</summary>
    public static bool Above(string sentence, double value, double bound, string format = "G4") =>
        Check(value > bound, $"{sentence} ({Num(value, format)} > {Num(bound, format)})");

    private static string Num(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);

    private static bool SameValue(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is string || b is string) return Equals(a, b);
        if (a is IEnumerable ea && b is IEnumerable eb)
            return ea.Cast<object?>().SequenceEqual(eb.Cast<object?>(), EqualityComparer<object?>.Create(SameValue, o => 0));
        return Equals(a, b);
    }

    private static string Show(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        _ => v.ToString() ?? "",
    };
}

/// <summary>A claim that does not hold at the parameters it was written for: the notebook's text is wrong for its own
/// numbers (or the computation changed). The message is the sentence with its numbers.</summary>
public sealed class ClaimFailedException(string sentence)
    : Exception($"Claim does not hold at the parameters it was written for: {sentence}")
{
    /// <summary>The sentence that does not hold, with its numbers.</summary>
    public string Sentence { get; } = sentence;
}
