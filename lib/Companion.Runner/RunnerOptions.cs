using System.Globalization;

namespace Companion.Runner;

/// <summary>The runner's command line.</summary>
public sealed record RunnerOptions
{
    public List<string> Inputs { get; } = [];
    public string OutputDirectory { get; set; } = "out";
    public bool InPlace { get; set; }
    public Dictionary<string, string> Parameters { get; } = [];
    public double TimeoutSeconds { get; set; } = 600;
    public bool ContinueOnError { get; set; }
    public bool Png { get; set; }
    public bool Pages { get; set; } = true;
    public bool InProcess { get; set; }
    public bool Help { get; set; }

    public const string Usage = """
        nbrun — execute C# (Polyglot / .NET Interactive) notebooks headlessly

        usage: nbrun [options] <notebook.ipynb | folder>...

          -o, --output DIR         where executed notebooks, pages and figures go (default: out)
              --inplace            write executed notebooks over their sources instead (figures/pages still go to DIR)
          -p, --parameter N=V      set parameter N in the cell tagged "parameters" (repeatable)
              --timeout SECONDS    stop a cell that runs longer (default: 600)
              --continue-on-error  run every cell even after one fails (default: stop at the first failure)
              --png                also render each figure to PNG with headless Chromium (needs `chromium` on PATH)
              --no-pages           do not write HTML pages and figure files
              --in-process         run cells in this process (faster start, no timeout)
          -h, --help               this text

        Folders are searched recursively for *.ipynb (folders named out, bin, obj and hidden ones are skipped).
        Exit code: 0 when every notebook ran without error, 1 when any failed, 2 for bad usage.
        """;

    /// <summary>Parses arguments; throws <see cref="ArgumentException"/> with a message for the user on bad usage.</summary>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var o = new RunnerOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "-o" or "--output": o.OutputDirectory = Next(); break;
                case "--inplace": o.InPlace = true; break;
                case "-p" or "--parameter":
                    var kv = Next();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new ArgumentException($"-p expects NAME=VALUE, got \"{kv}\"");
                    o.Parameters[kv[..eq].Trim()] = kv[(eq + 1)..];
                    break;
                case "--timeout":
                    var t = Next();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) || secs <= 0)
                        throw new ArgumentException($"--timeout expects a positive number of seconds, got \"{t}\"");
                    o.TimeoutSeconds = secs;
                    break;
                case "--continue-on-error": o.ContinueOnError = true; break;
                case "--png": o.Png = true; break;
                case "--no-pages": o.Pages = false; break;
                case "--in-process": o.InProcess = true; break;
                case "-h" or "--help": o.Help = true; break;
                default:
                    if (args[i].StartsWith('-')) throw new ArgumentException($"unknown option {args[i]}");
                    o.Inputs.Add(args[i]);
                    break;
            }
        }
        if (!o.Help && o.Inputs.Count == 0) throw new ArgumentException("no notebook or folder given");
        return o;
    }
}
