namespace Companion.Data;

/// <summary>What <see cref="DatasetMirror.Seed"/> did for one dataset.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="Copied">Files copied and verified (or already verified in the cache).</param>
/// <param name="Missing">Registry files the mirror does not hold.</param>
/// <param name="Failed">Files the mirror holds that did not verify (not copied), with why.</param>
public sealed record SeedResult(string Name, IReadOnlyList<string> Copied, IReadOnlyList<string> Missing, IReadOnlyList<string> Failed)
{
    /// <summary>True when the mirror has a folder for this dataset.</summary>
    public bool InMirror { get; init; } = true;
}

/// <summary>
/// Seeds the cache from a local mirror laid out as <c>DIR/&lt;name&gt;/&lt;upstream file names&gt;</c> (a course's
/// shared drive): each file is copied to a part file, verified, then renamed into the cache folder. For an archive
/// dataset the mirror may hold the archive (extracted and verified like a download) or the archive's files themselves,
/// already extracted (e.g. <c>names/*.txt</c>), each verified by its own checksum. A partial mirror (e.g. MNIST's test
/// files only) seeds the subsets it completes.
/// </summary>
public static class DatasetMirror
{
    /// <summary>Copies what <paramref name="mirrorRoot"/>/<c>&lt;name&gt;</c> holds of <paramref name="d"/> into the cache of <paramref name="store"/>.</summary>
    public static SeedResult Seed(DatasetStore store, DatasetDefinition d, string mirrorRoot, Action<DatasetProgress>? progress = null)
    {
        var source = Path.Combine(mirrorRoot, d.Name);
        if (!Directory.Exists(source)) return new SeedResult(d.Name, [], [.. d.Files.Select(f => f.Name)], []) { InMirror = false };
        var folder = store.Locations.CacheFolder(d);
        var partial = Directory.CreateDirectory(Path.Combine(folder, ".partial")).FullName;
        if (d.Archive is not null && File.Exists(Path.Combine(source, d.Archive.Name)))
        {
            // The archive itself: fetch it through a file:// style copy, then unpack like a download.
            var part = Path.Combine(partial, d.Archive.Name + ".part");
            File.Copy(Path.Combine(source, d.Archive.Name), part, overwrite: true);
            if (d.Archive.Verify(part) is { } bad)
            {
                File.Delete(part);
                return new SeedResult(d.Name, [], [], [bad]);
            }
            var why = store.UnpackInto(d, part, progress);
            File.Delete(part);
            return why is null ? new SeedResult(d.Name, [.. d.Files.Select(f => f.Name)], [], [])
                : new SeedResult(d.Name, [], [], [$"{d.Archive.Name}: {why}"]);
        }
        var copied = new List<string>();
        var missing = new List<string>();
        var failed = new List<string>();
        foreach (var f in d.Files)
        {
            var from = Path.Combine(source, f.Name);
            var target = Path.Combine(folder, f.Name);
            if (!File.Exists(from))
            {
                missing.Add(f.Name);
                continue;
            }
            if (!f.HasChecksum && f.Size is null)
            {
                failed.Add($"{f.Name}: no checksum of its own (it is verified through {d.Archive?.Name}); put the archive in the mirror");
                continue;
            }
            progress?.Invoke(new(d.Name, DatasetStage.Verifying, $"copying {f.Name} from {source}"));
            if (f.Verify(target) is null)
            {
                copied.Add(f.Name);
                continue;
            }
            var part = Path.Combine(partial, f.Name + ".part");
            File.Copy(from, part, overwrite: true);
            if (f.Verify(part) is { } why)
            {
                File.Delete(part);
                failed.Add(why);
                continue;
            }
            File.Move(part, target, overwrite: true);
            copied.Add(f.Name);
        }
        return new SeedResult(d.Name, copied, missing, failed);
    }
}
