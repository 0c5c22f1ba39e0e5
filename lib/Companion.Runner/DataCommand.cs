using System.Diagnostics;
using System.Globalization;
using Companion.Data;

namespace Companion.Runner;

/// <summary>
/// <c>nbrun data fetch [--from DIR] [NAME…]</c> and <c>nbrun data list</c>: fetch datasets into the user cache (from the
/// network, or from a local mirror laid out as <c>DIR/&lt;name&gt;/&lt;upstream files&gt;</c>), and show what is on this
/// machine. See docs/datasets.md.
/// </summary>
public static class DataCommand
{
    public const string Usage = """
        usage: nbrun data fetch [--from DIR] [NAME...]   fetch datasets into the user cache, verified
               nbrun data list                          each dataset: present or not, where, verified, size

          NAME        names, mnist, fashion-mnist, cifar-10 (none: every dataset the notebooks use)
          --from DIR  copy from a local mirror DIR/<name>/<upstream file names> instead of downloading (names/ may hold
                      the unzipped *.txt files; a partial folder, e.g. MNIST's test files only, seeds what it completes)

        Cache: $XDG_CACHE_HOME/companion/datasets (else ~/.cache/companion/datasets). COMPANION_DATA=DIR is looked in
        first; COMPANION_OFFLINE=1 forbids downloads.
        Exit code: 0 when everything asked for is verified in place, 1 otherwise, 2 for bad usage.
        """;

    /// <summary>Runs a data subcommand (the arguments after "data"); returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            log.WriteLine(Usage);
            return args.Count == 0 ? 2 : 0;
        }
        using var store = new DatasetStore();
        if (args[0] == "list")
        {
            if (args.Count > 1) return BadUsage(log, $"data list takes no arguments (got {args[1]})");
            List(store, log);
            return 0;
        }
        if (args[0] != "fetch") return BadUsage(log, $"unknown data subcommand '{args[0]}'");
        string? from = null;
        var names = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            if (args[i] == "--from")
            {
                if (i + 1 >= args.Count) return BadUsage(log, "--from needs a folder");
                from = args[++i];
            }
            else if (args[i].StartsWith('-')) return BadUsage(log, $"unknown option {args[i]}");
            else names.Add(args[i]);
        }
        var unknown = names.Where(n => store.Registry.All(d => d.Name != n)).ToList();
        if (unknown.Count > 0)
            return BadUsage(log, $"unknown dataset {string.Join(", ", unknown)}; known: {string.Join(", ", store.Registry.Select(d => d.Name))}");
        var wanted = names.Count > 0 ? names.Select(store.Definition).ToList() : [.. store.Registry];
        int rc = from is null ? await FetchAsync(store, wanted, log) : Seed(store, wanted, from, explicitNames: names.Count > 0, log);
        log.WriteLine();
        List(store, log);
        return rc;
    }

    static int BadUsage(TextWriter log, string message)
    {
        log.WriteLine($"nbrun data: {message}\n\n{Usage}");
        return 2;
    }

    static async Task<int> FetchAsync(DatasetStore store, IReadOnlyList<DatasetDefinition> wanted, TextWriter log)
    {
        int rc = 0;
        foreach (var d in wanted)
        {
            var clock = Stopwatch.StartNew();
            var lastLine = TimeSpan.MinValue;
            try
            {
                var folder = await store.RequireAsync(d.Name, null, p =>
                {
                    // Download progress at most once a second; every other step as it happens.
                    if (p.Stage == DatasetStage.Downloading && p.Bytes > 0 && clock.Elapsed - lastLine < TimeSpan.FromSeconds(1)) return;
                    lastLine = clock.Elapsed;
                    log.WriteLine("  " + p);
                });
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Name}: ready in {folder} ({clock.Elapsed.TotalSeconds:0.0} s)"));
            }
            catch (DatasetUnavailableException e)
            {
                log.WriteLine($"{d.Name}: FAILED\n{e.Message}");
                rc = 1;
            }
        }
        return rc;
    }

    static int Seed(DatasetStore store, IReadOnlyList<DatasetDefinition> wanted, string from, bool explicitNames, TextWriter log)
    {
        var root = Path.GetFullPath(from);
        if (!Directory.Exists(root))
        {
            log.WriteLine($"nbrun data: --from {from}: no such folder");
            return 1;
        }
        int rc = 0;
        foreach (var d in wanted)
        {
            var clock = Stopwatch.StartNew();
            var r = DatasetMirror.Seed(store, d, root, p => { if (p.Stage == DatasetStage.Extracting) log.WriteLine("  " + p); });
            if (!r.InMirror)
            {
                log.WriteLine($"{d.Name}: not in {root} ({Path.Combine(root, d.Name)} absent){(explicitNames ? "" : "; left as it is")}");
                if (explicitNames) rc = 1;
                continue;
            }
            var folder = store.Locations.CacheFolder(d);
            var complete = d.Subsets.Keys.Where(s => DatasetStore.Check(folder, d.FilesOf(s)).Count == 0).ToList();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{d.Name}: {r.Copied.Count} of {d.Files.Count} files copied and verified into {folder} ({clock.Elapsed.TotalSeconds:0.00} s)") +
                (r.Missing.Count > 0 ? $"; not in the mirror: {string.Join(", ", r.Missing)}" : "") +
                (r.Missing.Count > 0 && complete.Count > 0 ? $"; complete subsets: {string.Join(", ", complete)}" : ""));
            foreach (var f in r.Failed) log.WriteLine($"  FAILED {f} (not copied)");
            if (r.Failed.Count > 0 || r.Copied.Count == 0) rc = 1;
        }
        return rc;
    }

    /// <summary>One line per dataset: status, verified subsets, size, where.</summary>
    static void List(DatasetStore store, TextWriter log)
    {
        log.WriteLine($"{"dataset",-14} {"status",-26} {"size",9}  where");
        foreach (var d in store.Registry)
        {
            var s = DatasetStatus.Of(d, store.Locations);
            var status = s.Complete ? "verified (all files)"
                : s.VerifiedSubsets.Count > 0 ? $"verified: {string.Join(", ", s.VerifiedSubsets)} only"
                : s.Folder is null ? "absent" : "incomplete or bad";
            var size = s.Folder is null ? "-" : (s.Bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture);
            var where = s.Folder is null ? $"(would go to {store.Locations.CacheFolder(d)})" : $"{s.Folder} ({s.Origin})";
            log.WriteLine($"{d.Name,-14} {status,-26} {size,9}  {where}");
            if (!s.Complete && s.Folder is not null)
                foreach (var p in s.Problems) log.WriteLine($"{"",-14}   {p}");
        }
    }
}
