using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace Companion.Notebooks;

/// <summary>
/// Papermill-style parameters: values given on the command line (<c>-p name=value</c>) replace the initial values of the
/// declarations in the cell tagged <c>parameters</c> (<c>var steps = 100;</c> → <c>var steps = 2000;</c>).
/// Only literals are accepted, typed after the declared parameter (its explicit type, or for <c>var</c> the type of its
/// initial value): integers, floating-point numbers, booleans, strings (taken as text; a value in double quotes is read
/// as a JSON string), and arrays of these (<c>[1, 2]</c>, <c>{1, 2}</c> or <c>new[] { 1, 2 }</c>). The value is written
/// back as a C# literal, so a value can never inject code; one that does not fit the type is an error naming it.
/// </summary>
public static partial class NotebookParameters
{
    [GeneratedRegex(@"^(?<head>\s*(?<const>const\s+)?(?<type>[\w<>\[\],.?]+(?:\s*\[\s*\])?)\s+(?<name>[A-Za-z_]\w*)\s*=\s*)(?<value>.*?)(?<tail>;\s*(?://.*)?)$",
        RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^new\s*(?<elem>[\w.]+)?\s*\[\s*\]\s*(?<items>\{.*\})$", RegexOptions.Singleline)]
    private static partial Regex ArrayCreation();

    /// <summary>The names declared in a parameters cell's source, in order.</summary>
    public static IReadOnlyList<string> DeclaredNames(string source) =>
        Declaration().Matches(source).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>Replaces declared values in the notebook's parameters cells (every code cell tagged <c>parameters</c>, so
    /// a long list can be split into one cell per part); throws <see cref="ArgumentException"/> naming any parameter no
    /// such cell declares, a value that does not fit its parameter's type, or a missing cell. Nothing is changed unless
    /// every value applies.</summary>
    public static void Apply(Notebook notebook, IReadOnlyDictionary<string, string> values, string origin = "notebook")
    {
        if (values.Count == 0) return;
        var cells = notebook.Cells.Where(c => c.Kind == CellKind.Code && c.Tags.Contains("parameters")).ToList();
        if (cells.Count == 0)
            throw new ArgumentException($"{origin}: no code cell is tagged \"parameters\", so -p {values.Keys.First()}=… cannot be applied");
        var declared = cells.SelectMany(c => DeclaredNames(c.Source)).ToList();
        var unknown = values.Keys.Where(k => !declared.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"{origin}: parameter(s) {string.Join(", ", unknown)} not declared in the parameters cell " +
                $"(it declares: {string.Join(", ", declared)})");
        var sources = cells.Select(c => Declaration().Replace(c.Source, m =>
        {
            var name = m.Groups["name"].Value;
            if (!values.TryGetValue(name, out var v)) return m.Value;
            var type = DeclaredType(m.Groups["type"].Value, m.Groups["value"].Value.Trim())
                ?? throw new ArgumentException($"{origin}: -p {name}: the parameters cell declares {name} as " +
                    $"\"{m.Groups["type"].Value} {name} = {m.Groups["value"].Value.Trim()}\"; -p can set only numbers, booleans, " +
                    "strings and arrays of them");
            return m.Groups["head"].Value + Literal(v, type, name, origin) + m.Groups["tail"].Value;
        })).ToList();
        for (int i = 0; i < cells.Count; i++) cells[i].Source = sources[i];
    }

    /// <summary>The parameter's type as a C# keyword (<c>int</c>, <c>double</c>, <c>string</c>, <c>bool</c>, <c>long</c>,
    /// <c>float</c>, <c>decimal</c>, or one of these followed by <c>[]</c>); null when it is none of these.</summary>
    public static string? DeclaredType(string declaredType, string initialValue)
    {
        var t = Regex.Replace(declaredType, @"\s+", "").TrimEnd('?');
        t = t switch { "Int32" or "System.Int32" => "int", "Double" or "System.Double" => "double", "String" or "System.String" => "string",
            "Boolean" or "System.Boolean" => "bool", _ => t };
        if (t != "var") return IsSupported(t) ? t : null;
        return InferType(initialValue);
    }

    static bool IsSupported(string t) => t.EndsWith("[]", StringComparison.Ordinal) ? IsScalar(t[..^2]) : IsScalar(t);

    static bool IsScalar(string t) => t is "int" or "long" or "double" or "float" or "decimal" or "bool" or "string";

    static string? InferType(string v)
    {
        if (v is "true" or "false") return "bool";
        if (v.StartsWith('"') || v.StartsWith("@\"", StringComparison.Ordinal) || v.StartsWith("$\"", StringComparison.Ordinal)) return "string";
        if (Regex.IsMatch(v, @"^[+-]?\d+$")) return "int";
        if (Regex.IsMatch(v, @"^[+-]?\d+[lL]$")) return "long";
        if (Regex.IsMatch(v, @"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fF]$")) return "float";
        if (Regex.IsMatch(v, @"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[mM]$")) return "decimal";
        if (Regex.IsMatch(v, @"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dD]?$")) return "double";
        if (ArrayCreation().Match(v) is { Success: true } a)
        {
            if (a.Groups["elem"].Success) return IsScalar(a.Groups["elem"].Value) ? a.Groups["elem"].Value + "[]" : null;
            var items = SplitItems(a.Groups["items"].Value[1..^1]);
            var types = items.Select(InferType).Distinct().ToList();
            if (types.Count == 0 || types.Any(x => x is null || x.EndsWith("[]", StringComparison.Ordinal))) return null;
            if (types.Count == 1) return types[0] + "[]";
            return types.All(x => x is "int" or "double" or "long") ? "double[]" : null;
        }
        return null;
    }

    /// <summary>The C# literal for a command-line value of the given type; throws <see cref="ArgumentException"/> when it
    /// does not fit.</summary>
    public static string Literal(string value, string type, string name = "value", string origin = "notebook")
    {
        var v = value.Trim();
        ArgumentException Bad(string why) => new($"{origin}: -p {name}={value}: {why} (the parameters cell declares {name} as {type})");
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            var elem = type[..^2];
            string inner;
            if (v.StartsWith('[') && v.EndsWith(']') || v.StartsWith('{') && v.EndsWith('}')) inner = v[1..^1];
            else if (ArrayCreation().Match(v) is { Success: true } a) inner = a.Groups["items"].Value[1..^1];
            else throw Bad($"expected an array of {elem} such as [1, 2, 3]");
            var items = SplitItems(inner).Select(x => Literal(elem == "string" ? Unquote(x) : x, elem, name, origin));
            return $"new {elem}[] {{ {string.Join(", ", items)} }}";
        }
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case "int":
                return int.TryParse(v, NumberStyles.AllowLeadingSign, inv, out var i) ? i.ToString(inv) : throw Bad("not an integer (int)");
            case "long":
                return long.TryParse(v.TrimEnd('L', 'l'), NumberStyles.AllowLeadingSign, inv, out var l) ? l.ToString(inv) + "L" : throw Bad("not an integer (long)");
            case "double":
            case "float":
                if (!double.TryParse(v.TrimEnd('d', 'D', 'f', 'F'), NumberStyles.Float, inv, out var d) || !double.IsFinite(d)
                    || type == "float" && !float.IsFinite((float)d))
                    throw Bad($"not a finite number ({type})");
                var text = type == "float" ? ((float)d).ToString("R", inv) : d.ToString("R", inv);
                if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)) text += ".0";
                return type == "float" ? text + "f" : text;
            case "decimal":
                return decimal.TryParse(v.TrimEnd('m', 'M'), NumberStyles.Float, inv, out var m) ? m.ToString(inv) + "m" : throw Bad("not a decimal number");
            case "bool":
                return v is "true" or "false" ? v : throw Bad("expected true or false");
            case "string":
                return SymbolDisplay.FormatLiteral(Unquote(value), quote: true);
            default:
                throw Bad("this type cannot be set with -p");
        }
    }

    /// <summary>A value in double quotes is read as a JSON string (so escapes work); anything else is the text itself.</summary>
    static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"')
        {
            try { return JsonSerializer.Deserialize<string>(v) ?? ""; }
            catch (JsonException) { return value; }
        }
        return value;
    }

    /// <summary>Splits "a, "b, c", d" at top-level commas (commas inside double quotes stay).</summary>
    static List<string> SplitItems(string inner)
    {
        var items = new List<string>();
        if (string.IsNullOrWhiteSpace(inner)) return items;
        int start = 0;
        bool quoted = false;
        for (int k = 0; k < inner.Length; k++)
        {
            if (inner[k] == '"' && (k == 0 || inner[k - 1] != '\\')) quoted = !quoted;
            else if (inner[k] == ',' && !quoted) { items.Add(inner[start..k].Trim()); start = k + 1; }
        }
        items.Add(inner[start..].Trim());
        return items;
    }
}
