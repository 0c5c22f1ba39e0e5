using System.Text;
using System.Text.RegularExpressions;

namespace Companion.Notebooks;

/// <summary>A problem with a cell's directive lines (<c>#r</c>, <c>#i</c>, <c>#!</c>), reported like a compile error.</summary>
public sealed record DirectiveError(int Line, string Message);

/// <summary>The result of reading a cell's directives: C# code with the same line numbering, and what to reference.</summary>
/// <param name="Code">The cell with every directive line blanked, so compiler line numbers are the cell's own.</param>
/// <param name="AssemblyPaths">Absolute paths from <c>#r "path.dll"</c>.</param>
/// <param name="Packages">Package ids from <c>#r "nuget: …"</c> (all carried by the engine).</param>
/// <param name="Warnings">Messages to show on stderr (e.g. a requested version that differs from the carried one).</param>
/// <param name="Errors">Directive errors; when any, the cell is not run.</param>
public sealed record CellDirectiveResult(string Code, IReadOnlyList<string> AssemblyPaths, IReadOnlyList<string> Packages,
    IReadOnlyList<string> Warnings, IReadOnlyList<DirectiveError> Errors);

/// <summary>
/// Reads the directive lines a Polyglot (.NET Interactive) C# cell may hold, as that kernel does:
/// <c>#r "nuget: Name, Version"</c>, <c>#r "relative/or/absolute.dll"</c> (relative to the notebook's folder),
/// <c>#i "nuget: source"</c> (package sources: accepted, nothing is downloaded), <c>#!csharp</c> (kernel selector).
/// Other <c>#!</c> magics name another kernel or a feature this engine does not have and are errors.
/// </summary>
public static partial class CellDirectives
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<ver>[^"\s]*))?\s*"\s*$""")]
    private static partial Regex NugetRef();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex PathRef();

    [GeneratedRegex("""^\s*#i\s+".*"\s*$""")]
    private static partial Regex SourceDirective();

    [GeneratedRegex("""^\s*#!(?<magic>\S+)""")]
    private static partial Regex Magic();

    /// <summary>Processes the directives of one cell. <paramref name="baseDirectory"/> is the notebook's folder;
    /// <paramref name="exists"/> says whether a <c>#r</c> file can be loaded where the cell will run (by default: it
    /// exists here; the grader also asks that its sandboxed worker can see it).</summary>
    public static CellDirectiveResult Process(string source, string baseDirectory, Func<string, bool>? exists = null)
    {
        exists ??= File.Exists;
        var code = new StringBuilder();
        var paths = new List<string>();
        var packages = new List<string>();
        var warnings = new List<string>();
        var errors = new List<DirectiveError>();
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            bool directive = true;
            if (NugetRef().Match(line) is { Success: true } n)
            {
                var id = n.Groups["id"].Value;
                var ver = n.Groups["ver"].Value;
                if (!CarriedPackages.Versions.TryGetValue(id, out var carried))
                    errors.Add(new(i + 1, $"package '{id}' is not available: this engine resolves only the packages it carries " +
                        $"({string.Join(", ", CarriedPackages.Versions.Keys)}) and never downloads"));
                else
                {
                    packages.Add(id);
                    if (ver.Length > 0 && ver != carried)
                        warnings.Add($"#r \"nuget: {id}, {ver}\": the engine carries {id} {carried}; using {carried}");
                }
            }
            else if (PathRef().Match(line) is { Success: true } p)
            {
                var full = Path.GetFullPath(Path.Combine(baseDirectory, p.Groups["path"].Value));
                if (exists(full)) paths.Add(full);
                else errors.Add(new(i + 1, $"#r \"{p.Groups["path"].Value}\": file not found ({full}). " +
                    (BuildHint(full) is { } hint ? $"Build it first: {hint}" : "")));
            }
            else if (SourceDirective().IsMatch(line)) { }
            else if (Magic().Match(line) is { Success: true } m)
            {
                var magic = m.Groups["magic"].Value;
                if (magic is not ("csharp" or "c#" or "C#"))
                    errors.Add(new(i + 1, $"#!{magic}: only C# cells are supported by this engine"));
            }
            else directive = false;
            code.Append(directive ? "" : line);
            if (i < lines.Length - 1) code.Append('\n');
        }
        return new(code.ToString(), paths, packages, warnings, errors);
    }

    /// <summary>The command that builds a missing project DLL of this repository (<c>Companion.Networks.dll</c> →
    /// <c>dotnet build lib/Companion.Networks</c>), or null for other files.</summary>
    internal static string? BuildHint(string dllPath)
    {
        var name = Path.GetFileNameWithoutExtension(dllPath);
        return name.StartsWith("Companion", StringComparison.Ordinal) && dllPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? $"dotnet build lib/{name}" : null;
    }
}
