using System.Text.Json;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Publishing;

namespace Companion.Runner;

/// <summary>
/// The machine-readable report of a run, <c>report.json</c> in the output folder: per notebook its status
/// (<c>ok</c>, <c>skipped</c>: it could not run here, with the <c>reason</c> (e.g. a dataset that cannot be had),
/// <c>failed</c>: a cell failed, <c>error</c>: it could not be run or written), seconds, error and output
/// files (relative to the output folder), and per executed cell its status, seconds and error. Shard outputs are merged
/// by concatenating their notebooks (<see cref="Merge"/>), and <c>index.html</c> is built from a report.
/// </summary>
public static class RunReport
{
    public const string FileName = "report.json";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report entry of one notebook.</summary>
    public static JsonObject Entry(RunOutcome o, string outDir)
    {
        string? Rel(string? p) => p is null ? null : Path.GetRelativePath(outDir, p).Replace(Path.DirectorySeparatorChar, '/');
        var cells = new JsonArray();
        foreach (var c in o.Report?.Cells ?? [])
            cells.Add(new JsonObject
            {
                ["cell"] = c.Number,
                ["status"] = c.SkipReason is not null ? "skipped" : c.Failed ? "failed" : "ok",
                ["seconds"] = Math.Round(c.Duration.TotalSeconds, 3),
                ["error"] = c.Error,
            });
        return new JsonObject
        {
            ["notebook"] = o.Job.RelativeName.Replace(Path.DirectorySeparatorChar, '/') + ".ipynb",
            ["source"] = o.Job.SourcePath,
            ["status"] = o.Status,
            ["reason"] = o.SkipReason,
            ["seconds"] = o.Report is null ? null : Math.Round(o.Report.Duration.TotalSeconds, 3),
            ["error"] = o.SkipReason is null ? o.LoadError ?? o.Report?.FirstFailure?.Error : null,
            ["executed"] = Rel(o.ExecutedPath),
            ["page"] = Rel(o.PagePath),
            ["title"] = o.Title,
            ["figures"] = o.FigureCount,
            ["pngs"] = o.PngCount,
            ["thumbnail"] = Rel(o.ThumbnailPath),
            ["cells"] = cells,
        };
    }

    /// <summary>The whole report: the shard it covers and every notebook's entry.</summary>
    public static JsonObject Build(IEnumerable<JsonObject> notebooks, string? shard)
    {
        var list = new JsonArray(notebooks.Select(n => (JsonNode)n.DeepClone()).ToArray());
        int ok = list.Count(n => n!["status"]!.GetValue<string>() == "ok");
        int skipped = list.Count(n => n!["status"]!.GetValue<string>() == "skipped");
        return new JsonObject
        {
            ["shard"] = shard,
            ["notebooks"] = list,
            ["ok"] = ok,
            ["skipped"] = skipped,
            ["failed"] = list.Count - ok - skipped,
        };
    }

    public static void Write(JsonObject report, string outDir) =>
        NotebookFile.WriteTextAtomically(Path.Combine(outDir, FileName), report.ToJsonString(Indented) + "\n");

    /// <summary>Reads a folder's report.json; throws <see cref="InvalidDataException"/> naming the file when it is missing or malformed.</summary>
    public static JsonObject Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no report.json (is {folder} an nbrun output folder?)");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["notebooks"] is JsonArray ? o
                : throw new InvalidDataException($"{path}: not an nbrun report (no \"notebooks\" list)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>nbrun merge</c>: copies each shard folder's files into <paramref name="outDir"/> (unless it is that folder),
    /// then writes one report.json and index.html over all notebooks. Returns 0 when every notebook is ok, 1 otherwise.
    /// Throws <see cref="InvalidDataException"/> for a folder without a report and when two shards hold the same notebook.
    /// </summary>
    public static int Merge(IReadOnlyList<string> shardFolders, string outDir, TextWriter log)
    {
        var reports = shardFolders.Select(f => (Folder: Path.GetFullPath(f), Report: Read(f))).ToList();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, report) in reports)
            foreach (var n in report["notebooks"]!.AsArray())
            {
                var name = n!["notebook"]!.GetValue<string>();
                if (!seen.TryAdd(name, folder))
                    throw new InvalidDataException($"{name} is in two shard outputs ({seen[name]} and {folder}); run each notebook in one shard only");
            }
        var target = Path.GetFullPath(outDir);
        Directory.CreateDirectory(target);
        foreach (var (folder, _) in reports)
        {
            if (string.Equals(Path.TrimEndingDirectorySeparator(folder), Path.TrimEndingDirectorySeparator(target), StringComparison.Ordinal)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(folder, file);
                if (rel is FileName or "index.html" or NotebookDiscovery.OutputMarker) continue;
                var dest = Path.Combine(target, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
                File.Copy(file, dest, overwrite: true);
            }
        }
        var merged = Build(reports.SelectMany(r => r.Report["notebooks"]!.AsArray().Select(n => n!.AsObject()))
            .OrderBy(n => n["notebook"]!.GetValue<string>(), StringComparer.Ordinal), null);
        File.WriteAllText(Path.Combine(target, NotebookDiscovery.OutputMarker), "written by nbrun; never searched for notebooks\n");
        Write(merged, target);
        WriteIndex(merged, target);
        int failed = merged["failed"]!.GetValue<int>();
        log.WriteLine($"merged {reports.Count} shard outputs into {outDir}: {merged["ok"]} ok, {merged["skipped"]} skipped, {failed} failed notebooks");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>index.html, grouped by homework with each notebook's title and thumbnail (see <see cref="IndexPage"/>).</summary>
    public static void WriteIndex(JsonObject report, string outDir) =>
        NotebookFile.WriteTextAtomically(Path.Combine(outDir, "index.html"), IndexPage.Render(report, SiteAssets.Existing(outDir), outDir));
}
