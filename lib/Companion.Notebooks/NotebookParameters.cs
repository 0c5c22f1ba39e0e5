using System.Globalization;
using System.Text.RegularExpressions;

namespace Companion.Notebooks;

/// <summary>
/// Papermill-style parameters: values given on the command line (<c>-p name=value</c>) replace the initial values of the
/// declarations in the cell tagged <c>parameters</c> (<c>var steps = 100;</c> → <c>var steps = 2000;</c>).
/// A value that is a number, <c>true</c>/<c>false</c>, a quoted string, or C# code starting with <c>new</c> or <c>{</c> is
/// used as written; anything else becomes a C# string literal.
/// </summary>
public static partial class NotebookParameters
{
    [GeneratedRegex(@"^(?<head>\s*(?:const\s+)?[\w<>\[\],.?]+(?:\s*\[\s*\])?\s+(?<name>[A-Za-z_]\w*)\s*=\s*)(?<value>.*?)(?<tail>;\s*(?://.*)?)$",
        RegexOptions.Multiline)]
    private static partial Regex Declaration();

    /// <summary>The names declared in a parameters cell's source, in order.</summary>
    public static IReadOnlyList<string> DeclaredNames(string source) =>
        Declaration().Matches(source).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>Replaces declared values in the notebook's parameters cell; throws <see cref="ArgumentException"/> naming
    /// any parameter the cell does not declare, or when there is no parameters cell.</summary>
    public static void Apply(Notebook notebook, IReadOnlyDictionary<string, string> values, string origin = "notebook")
    {
        if (values.Count == 0) return;
        var cell = notebook.Cells.FirstOrDefault(c => c.Kind == CellKind.Code && c.Tags.Contains("parameters"))
            ?? throw new ArgumentException($"{origin}: no code cell is tagged \"parameters\", so -p {values.Keys.First()}=… cannot be applied");
        var declared = DeclaredNames(cell.Source);
        var unknown = values.Keys.Where(k => !declared.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"{origin}: parameter(s) {string.Join(", ", unknown)} not declared in the parameters cell " +
                $"(it declares: {string.Join(", ", declared)})");
        cell.Source = Declaration().Replace(cell.Source, m =>
            values.TryGetValue(m.Groups["name"].Value, out var v)
                ? m.Groups["head"].Value + Literal(v) + m.Groups["tail"].Value
                : m.Value);
    }

    /// <summary>The C# text for a command-line value.</summary>
    public static string Literal(string value)
    {
        var v = value.Trim();
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || v is "true" or "false"
            || v.StartsWith('"') || v.StartsWith("new", StringComparison.Ordinal) || v.StartsWith('{') || v.StartsWith('@'))
            return v;
        return "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
