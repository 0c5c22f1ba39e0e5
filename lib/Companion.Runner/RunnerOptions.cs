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

    /// <summary>A notebook skipped for a missing dataset fails the run (CI).</summary>
    public bool RequireData { get; set; }
    public bool Help { get; set; }

    /// <summary>Run only shard <c>ShardIndex</c> of <c>ShardCount</c> (1-based) of the discovered notebooks.</summary>
    public int ShardIndex { get; set; } = 1;
    public int ShardCount { get; set; } = 1;

    /// <summary><c>nbrun merge</c>: the shard output folders to merge into <see cref="OutputDirectory"/>.</summary>
    public bool Merge { get; set; }

    /// <summary>Longest accepted --timeout: a week (a larger value cannot be a per-cell limit anyone means).</summary>
    public const double MaxTimeoutSeconds = 7 * 24 * 3600;

    public const string Usage = """
        nbrun — execute C# (Polyglot / .NET Interactive) notebooks headlessly

        usage: nbrun [options] <notebook.ipynb | folder>...
               nbrun merge -o DIR <shard-output-folder>...
               nbrun data fetch [--from DIR] [NAME...]   (docs/datasets.md)
               nbrun data list

          -o, --output DIR         where executed notebooks, pages and figures go (default: out)
              --inplace            write executed notebooks over their sources instead (figures/pages still go to DIR)
          -p, --parameter N=V      set parameter N in the cell tagged "parameters" (repeatable)
              --timeout SECONDS    stop a cell that runs longer (default: 600)
              --continue-on-error  run every cell even after one fails (default: stop at the first failure)
              --png                also render each figure to PNG with headless Chromium (needs `chromium` on PATH),
                               and put it beside the chart's HTML in the executed notebook (image/png)
              --no-pages           do not write HTML pages and figure files
              --in-process         run cells in this process (faster start, no timeout)
              --require-data       a notebook skipped because a dataset cannot be had counts as failed (CI uses it)
              --shard I/N          run only the I-th of N shards of the notebooks (stable split; see README)
          -h, --help               this text

        Every run writes DIR/report.json (per notebook and cell: status, seconds, error) and DIR/index.html.
        `nbrun merge -o DIR A B ...` copies shard output folders A, B, ... into DIR and writes one report.json and
        index.html over all of them.

        Folders are searched recursively for *.ipynb (folders named out, bin, obj and hidden ones are skipped).
        A notebook whose cell throws DatasetUnavailableException (a dataset that cannot be had) is "skipped" with that
        reason: its later cells are not run, and it does not fail the run unless --require-data is given.
        Exit code: 0 when no notebook failed, 1 when any failed, 2 for bad usage.
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
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) || !double.IsFinite(secs)
                        || secs <= 0 || secs > MaxTimeoutSeconds)
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                            $"--timeout expects a positive number of seconds up to {MaxTimeoutSeconds} (a week), got \"{t}\""));
                    o.TimeoutSeconds = secs;
                    break;
                case "--continue-on-error": o.ContinueOnError = true; break;
                case "--png": o.Png = true; break;
                case "--no-pages": o.Pages = false; break;
                case "--in-process": o.InProcess = true; break;
                case "--require-data": o.RequireData = true; break;
                case "-h" or "--help": o.Help = true; break;
                case "--shard":
                    var sh = Next();
                    var parts = sh.Split('/');
                    if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var si)
                        || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sn) || sn < 1 || si < 1 || si > sn)
                        throw new ArgumentException($"--shard expects I/N with 1 ≤ I ≤ N (e.g. 2/4), got \"{sh}\"");
                    (o.ShardIndex, o.ShardCount) = (si, sn);
                    break;
                case "merge" when i == 0: o.Merge = true; break;
                default:
                    if (args[i].StartsWith('-')) throw new ArgumentException($"unknown option {args[i]}");
                    o.Inputs.Add(args[i]);
                    break;
            }
        }
        if (!o.Help && o.Inputs.Count == 0)
            throw new ArgumentException(o.Merge ? "merge: no shard output folder given" : "no notebook or folder given");
        return o;
    }
}
