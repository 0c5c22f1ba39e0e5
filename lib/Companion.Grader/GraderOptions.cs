using System.Globalization;

namespace Companion.Grader;

/// <summary>The command line of <c>nbgrade</c>.</summary>
public sealed record GraderOptions
{
    public string Command { get; set; } = "";
    public List<string> Inputs { get; } = [];
    public string OutputDirectory { get; set; } = "";
    public string? KeyPath { get; set; }
    public string? BaseDirectory { get; set; }
    public string? AssignmentName { get; set; }
    public int Jobs { get; set; } = Environment.ProcessorCount;
    public int ShardIndex { get; set; } = 1;
    public int ShardCount { get; set; } = 1;
    public bool SelfCheck { get; set; } = true;
    public GradingLimits Limits { get; set; } = GradingLimits.Default;
    public bool Help { get; set; }

    public const string Usage = """
        nbgrade — student and solution notebooks from one source, and an autograder for C# notebooks

        usage:
          nbgrade assign <source.ipynb | folder>... -o OUT [--no-self-check]
              writes OUT/student/ (what students get), OUT/solution/ (executed), OUT/autograder/key.json, OUT/selfcheck.txt
          nbgrade grade --key OUT/autograder SUBMISSIONS -o GRADES [--shard i/n]
              SUBMISSIONS holds one folder per student (their notebooks inside) or, for a one-notebook assignment,
              one STUDENT.ipynb per student; writes GRADES/STUDENT/{results.json,grade.json,feedback.html}, GRADES/grades.csv
          nbgrade merge --key OUT/autograder SHARD_GRADES... -o GRADES
              merges the grades of several shards into GRADES/grades.csv

        options:
          -o, --output DIR          output folder (required)
          -j, --jobs N              notebooks graded at once, each in its own worker process (default: number of cores)
              --shard i/n           grade only the i-th of n shards of the students (1-based; for CI matrices, batch arrays)
              --timeout SECONDS     per cell (default 120)
              --time-limit SECONDS  per notebook (default 600)
              --memory-mb MB        per worker process (default 2048; 0 = none)
              --base-dir DIR        where the notebooks' relative #r paths resolve (default: the source notebook's folder)
              --name NAME           the assignment's name in the key (default: the first input's name)
              --no-self-check       assign: execute the solution only (skip the student and one-question-broken checks)
              --no-sandbox          grade: run submissions without the bubblewrap sandbox (only for trusted work: a
                                    submission can then read the key and other submissions and write results)
          -h, --help                this text

        Exit code: 0 ok, 1 a self-check failed or a source notebook is malformed, 2 bad usage.
        """;

    public static GraderOptions Parse(IReadOnlyList<string> args)
    {
        var o = new GraderOptions();
        if (args.Count == 0 || args[0] is "-h" or "--help") { o.Help = true; return o; }
        o.Command = args[0];
        if (o.Command is not ("assign" or "grade" or "merge"))
            throw new ArgumentException($"unknown command \"{o.Command}\" (assign, grade or merge)");
        var limits = GradingLimits.Default;
        for (int i = 1; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Positive(string what)
            {
                var v = Next();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d) ? d
                    : throw new ArgumentException($"{what} expects a positive number, got \"{v}\"");
            }
            switch (args[i])
            {
                case "-o" or "--output": o.OutputDirectory = Next(); break;
                case "--key": o.KeyPath = Next(); break;
                case "--base-dir": o.BaseDirectory = Path.GetFullPath(Next()); break;
                case "--name": o.AssignmentName = Next(); break;
                case "-j" or "--jobs": o.Jobs = (int)Positive("--jobs"); break;
                case "--timeout": limits = limits with { CellTimeout = TimeSpan.FromSeconds(Positive("--timeout")) }; break;
                case "--time-limit": limits = limits with { NotebookTimeLimit = TimeSpan.FromSeconds(Positive("--time-limit")) }; break;
                case "--memory-mb":
                    var m = Next();
                    limits = limits with
                    {
                        MemoryLimitMegabytes = int.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) && mb >= 0 ? mb
                            : throw new ArgumentException($"--memory-mb expects a whole number of megabytes, got \"{m}\""),
                    };
                    break;
                case "--shard":
                    var s = Next().Split('/');
                    if (s.Length != 2 || !int.TryParse(s[0], out var si) || !int.TryParse(s[1], out var sn) || sn < 1 || si < 1 || si > sn)
                        throw new ArgumentException($"--shard expects i/n with 1 ≤ i ≤ n, got \"{string.Join('/', s)}\"");
                    (o.ShardIndex, o.ShardCount) = (si, sn);
                    break;
                case "--no-self-check": o.SelfCheck = false; break;
                case "--no-sandbox": limits = limits with { Sandboxed = false }; break;
                case "-h" or "--help": o.Help = true; break;
                default:
                    if (args[i].StartsWith('-')) throw new ArgumentException($"unknown option {args[i]}");
                    o.Inputs.Add(args[i]);
                    break;
            }
        }
        o.Limits = limits;
        if (o.Help) return o;
        if (o.Inputs.Count == 0) throw new ArgumentException($"{o.Command}: no input given");
        if (o.OutputDirectory.Length == 0) throw new ArgumentException($"{o.Command}: -o OUT is required");
        if (o.Command is "grade" or "merge" && o.KeyPath is null) throw new ArgumentException($"{o.Command}: --key DIR is required");
        return o;
    }
}
