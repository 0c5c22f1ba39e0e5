using System.Globalization;
using System.Text;

namespace Companion.Data;

/// <summary>Settings of a <see cref="DatasetStore"/>; tests inject a loopback registry, folders and short timeouts.</summary>
public sealed record DatasetStoreOptions
{
    /// <summary>Where to look and where the cache is (default: from the environment).</summary>
    public DatasetCache Locations { get; init; } = DatasetCache.FromEnvironment();

    /// <summary>The datasets known by name (default: the real upstream entries).</summary>
    public IReadOnlyList<DatasetDefinition> Registry { get; init; } = DatasetRegistry.All;

    /// <summary>Longest wait for a connection: a host that does not answer is given up within this.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for response headers and for each read of a body.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for another process that is fetching the same file.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts per URL when a transfer is cut (each resumes where the last stopped).</summary>
    public int AttemptsPerUrl { get; init; } = 3;

    /// <summary>For tests; null for a real <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>
/// Finds, fetches and verifies datasets (the engine behind <see cref="Datasets"/>). A request names a dataset and
/// optionally a subset; the answer is a local folder whose needed files all verified. Downloads go into the cache only:
/// streamed to <c>.partial/&lt;file&gt;.part</c>, resumed with HTTP Range after a cut, verified, then renamed into place;
/// a lock file per file (or archive) makes a second process wait for the first instead of fetching again. A file that
/// fails verification in the cache is deleted and fetched again; one in a user or system folder is never used nor touched.
/// </summary>
public sealed class DatasetStore : IDisposable
{
    /// <summary>Name of the file, in a dataset folder, that records the SHA-256 of files extracted from a verified archive.</summary>
    public const string ManifestName = ".companion-manifest.tsv";

    const string PartialFolder = ".partial";

    readonly DatasetStoreOptions options;
    readonly Downloader downloader;

    public DatasetStore(DatasetStoreOptions? options = null)
    {
        this.options = options ?? new DatasetStoreOptions();
        downloader = new Downloader(this.options.ConnectTimeout, this.options.ReadTimeout, this.options.Handler);
    }

    /// <summary>The locations in use.</summary>
    public DatasetCache Locations => options.Locations;

    /// <summary>The registry entry called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public DatasetDefinition Definition(string name) =>
        options.Registry.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", options.Registry.Select(d => d.Name))}", nameof(name));

    /// <summary>The known datasets.</summary>
    public IReadOnlyList<DatasetDefinition> Registry => options.Registry;

    /// <summary>Synchronous <see cref="RequireAsync"/> (for notebook cells).</summary>
    public string Require(string name, string? subset = null, Action<DatasetProgress>? progress = null) =>
        RequireAsync(name, subset, progress).GetAwaiter().GetResult();

    /// <summary>
    /// A folder holding the verified files of <paramref name="name"/> (all, or those of <paramref name="subset"/>): the
    /// first of <c>$COMPANION_DATA/&lt;name&gt;</c>, the system folders and the cache where they all verify, else the
    /// cache after downloading what is missing.
    /// </summary>
    /// <exception cref="DatasetUnavailableException">Not found and not downloadable; the message says what to do.</exception>
    public async Task<string> RequireAsync(string name, string? subset = null, Action<DatasetProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var d = Definition(name);
        var files = d.FilesOf(subset);
        progress?.Invoke(new(name, DatasetStage.Looking, $"looking for {d.Describe(subset)}"));
        var looked = new List<string>();
        foreach (var (folder, origin) in Locations.Candidates(d))
        {
            var problems = Directory.Exists(folder) ? Check(folder, files) : ["absent"];
            if (problems.Count == 0)
            {
                progress?.Invoke(new(name, DatasetStage.Ready, $"{files.Count} file(s) verified in {folder} ({origin})"));
                return folder;
            }
            looked.Add($"{folder} ({origin}): {string.Join("; ", problems)}");
        }
        if (Locations.DataRoot is null) looked.Insert(0, $"${DatasetCache.DataVariable}/{name} ({DatasetCache.DataVariable} is not set)");
        if (Locations.Offline)
            throw Unavailable(d, subset, files, looked, [], $"downloads are off ({DatasetCache.OfflineVariable}=1)");
        var tried = new List<string>();
        var target = Locations.CacheFolder(d);
        bool ok = d.Archive is null
            ? await FetchFilesAsync(d, files, tried, progress, cancel).ConfigureAwait(false)
            : await FetchArchiveAsync(d, files, tried, progress, cancel).ConfigureAwait(false);
        if (!ok || Check(target, files) is { Count: > 0 })
        {
            progress?.Invoke(new(name, DatasetStage.Failed, $"{d.Describe(subset)} could not be downloaded"));
            throw Unavailable(d, subset, files, looked, tried, "every download failed");
        }
        progress?.Invoke(new(name, DatasetStage.Ready, $"{files.Count} file(s) downloaded and verified in {target} (user cache)"));
        return target;
    }

    /// <summary>Why the files of a request are not usable in <paramref name="folder"/>: one line per missing or bad file.</summary>
    public static List<string> Check(string folder, IEnumerable<DatasetFile> files)
    {
        var manifest = ReadManifest(folder);
        var problems = new List<string>();
        foreach (var f in files)
            if (f.Verify(Path.Combine(folder, f.Name), manifest.GetValueOrDefault(f.Name)) is { } why) problems.Add(why);
        return problems;
    }

    /// <summary>SHA-256 by file name, from a folder's manifest (empty when it has none).</summary>
    public static Dictionary<string, string> ReadManifest(string folder)
    {
        var path = Path.Combine(folder, ManifestName);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return map;
        foreach (var line in File.ReadAllLines(path))
            if (line.Split('\t') is [var sha, var file]) map[file] = sha;
        return map;
    }

    async Task<bool> FetchFilesAsync(DatasetDefinition d, IReadOnlyList<DatasetFile> files, List<string> tried,
        Action<DatasetProgress>? progress, CancellationToken cancel)
    {
        var folder = Locations.CacheFolder(d);
        var partial = Directory.CreateDirectory(Path.Combine(folder, PartialFolder)).FullName;
        var downHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool all = true;
        foreach (var f in files)
        {
            var target = Path.Combine(folder, f.Name);
            using var held = await LockAsync(Path.Combine(partial, f.Name + ".lock"), d, f.Name, progress, cancel).ConfigureAwait(false);
            if (f.Verify(target) is null) continue;   // present, or fetched by another process while we waited
            if (File.Exists(target))
            {
                progress?.Invoke(new(d.Name, DatasetStage.Verifying, $"{f.Verify(target)}: deleting it and fetching again"));
                File.Delete(target);
            }
            var part = Path.Combine(partial, f.Name + ".part");
            if (await FetchVerifiedAsync(d, f, part, tried, downHosts, progress, cancel).ConfigureAwait(false))
                File.Move(part, target, overwrite: true);
            else
                all = false;
        }
        return all;
    }

    async Task<bool> FetchArchiveAsync(DatasetDefinition d, IReadOnlyList<DatasetFile> files, List<string> tried,
        Action<DatasetProgress>? progress, CancellationToken cancel)
    {
        var folder = Locations.CacheFolder(d);
        var partial = Directory.CreateDirectory(Path.Combine(folder, PartialFolder)).FullName;
        var archive = d.Archive!;
        using var held = await LockAsync(Path.Combine(partial, archive.Name + ".lock"), d, archive.Name, progress, cancel).ConfigureAwait(false);
        if (Check(folder, files).Count == 0) return true;   // extracted by another process while we waited
        var part = Path.Combine(partial, archive.Name + ".part");
        if (!await FetchVerifiedAsync(d, archive, part, tried, new HashSet<string>(StringComparer.OrdinalIgnoreCase), progress, cancel)
                .ConfigureAwait(false))
            return false;
        if (UnpackInto(d, part, progress) is { } why)
        {
            tried.Add($"{archive.Name}: {why}");
            File.Delete(part);
            return false;
        }
        File.Delete(part);
        return true;
    }

    /// <summary>
    /// Extracts every registry file of <paramref name="d"/> from a fetched archive into a temporary folder, verifies each
    /// one that has a checksum, then renames them into the cache folder and records the SHA-256 of all of them in
    /// its manifest. Returns null on success, else why (nothing is moved then).
    /// </summary>
    public string? UnpackInto(DatasetDefinition d, string archive, Action<DatasetProgress>? progress)
    {
        var folder = Locations.CacheFolder(d);
        progress?.Invoke(new(d.Name, DatasetStage.Extracting, $"extracting {d.ArchiveFolder} from {d.Archive!.Name}"));
        var temp = Path.Combine(folder, PartialFolder, "extract-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<string> written;
            try
            {
                written = ArchiveExtraction.Extract(archive, d.ArchiveKind, d.ArchiveFolder, d.Files.Select(f => f.Name).ToHashSet(), temp);
            }
            catch (InvalidDataException e)
            {
                return e.Message;
            }
            var missing = d.Files.Select(f => f.Name).Except(written).ToList();
            if (missing.Count > 0) return $"the archive lacks {string.Join(", ", missing)} under {d.ArchiveFolder}";
            var bad = Check(temp, d.Files.Where(f => f.HasChecksum || f.Size is not null));
            if (bad.Count > 0) return $"extracted files do not verify: {string.Join("; ", bad)}";
            var manifest = new StringBuilder();
            foreach (var f in d.Files)
            {
                var (sha, _) = DatasetFile.Hashes(new FileInfo(Path.Combine(temp, f.Name)));
                manifest.Append(CultureInfo.InvariantCulture, $"{sha}\t{f.Name}\n");
            }
            foreach (var f in d.Files) File.Move(Path.Combine(temp, f.Name), Path.Combine(folder, f.Name), overwrite: true);
            var manifestTemp = Path.Combine(folder, PartialFolder, ManifestName + ".tmp");
            File.WriteAllText(manifestTemp, manifest.ToString());
            File.Move(manifestTemp, Path.Combine(folder, ManifestName), overwrite: true);
            return null;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Fetches <paramref name="f"/> from each of its URLs in turn into <paramref name="part"/> until one verifies.</summary>
    async Task<bool> FetchVerifiedAsync(DatasetDefinition d, DatasetFile f, string part, List<string> tried, HashSet<string> downHosts,
        Action<DatasetProgress>? progress, CancellationToken cancel)
    {
        foreach (var url in d.UrlsOf(f.Name))
        {
            var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;
            if (downHosts.Contains(host))
            {
                tried.Add($"{url}: not tried ({host} was unreachable a moment ago)");
                continue;
            }
            DownloadAttempt attempt = new(DownloadOutcome.Cut, "not tried");
            for (int k = 0; k < Math.Max(1, options.AttemptsPerUrl); k++)
            {
                progress?.Invoke(new(d.Name, DatasetStage.Downloading, $"downloading {f.Name}") { File = f.Name, Url = url });
                attempt = await downloader.FetchAsync(url, part, f.Size, (bytes, total, rate) => progress?.Invoke(
                    new(d.Name, DatasetStage.Downloading, $"downloading {f.Name}")
                    { File = f.Name, Url = url, Bytes = bytes, Total = total, BytesPerSecond = rate }), cancel).ConfigureAwait(false);
                if (attempt.Outcome != DownloadOutcome.Cut) break;
            }
            if (attempt.Outcome == DownloadOutcome.Unreachable) downHosts.Add(host);
            if (attempt.Outcome != DownloadOutcome.Complete)
            {
                tried.Add($"{url}: {attempt.Detail}");
                continue;
            }
            progress?.Invoke(new(d.Name, DatasetStage.Verifying, $"verifying {f.Name}"));
            if (f.Verify(part) is { } why)
            {
                File.Delete(part);
                tried.Add($"{url}: downloaded, but {why}; the file was deleted");
                continue;
            }
            return true;
        }
        return false;
    }

    /// <summary>Takes an exclusive lock file (released on dispose), waiting while another process holds it.</summary>
    async Task<FileStream> LockAsync(string path, DatasetDefinition d, string what, Action<DatasetProgress>? progress, CancellationToken cancel)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < options.LockTimeout)
            {
                if (!told) progress?.Invoke(new(d.Name, DatasetStage.Waiting, $"another process is fetching {what}; waiting for it"));
                told = true;
                await Task.Delay(100, cancel).ConfigureAwait(false);
            }
        }
    }

    DatasetUnavailableException Unavailable(DatasetDefinition d, string? subset, IReadOnlyList<DatasetFile> files,
        IReadOnlyList<string> looked, IReadOnlyList<string> tried, string why)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"dataset {d.Describe(subset)} ({d.Title}) is not available: {why}.\n");
        sb.Append("Looked in:\n");
        foreach (var l in looked) sb.Append("  - ").Append(l).Append('\n');
        if (tried.Count > 0)
        {
            sb.Append("Tried:\n");
            foreach (var t in tried) sb.Append("  - ").Append(t).Append('\n');
        }
        else
        {
            sb.Append("Would download from: ").Append(string.Join(", ", d.UrlsOf(d.Archive?.Name ?? files[0].Name))).Append('\n');
        }
        var needed = d.Archive is null ? string.Join(", ", files.Select(f => f.Name)) : $"{d.Archive.Name} (or its {d.ArchiveFolder} files)";
        sb.Append(CultureInfo.InvariantCulture, $"To fix: put {needed} in {Locations.CacheFolder(d)}, or in DIR/{d.Name}/ and set ")
          .Append(CultureInfo.InvariantCulture, $"{DatasetCache.DataVariable}=DIR; or copy them from a local mirror with ")
          .Append(CultureInfo.InvariantCulture, $"`dotnet run --project lib/Companion.Runner -c Release -- data fetch --from MIRROR {d.Name}`")
          .Append(Locations.Offline ? $"; or unset {DatasetCache.OfflineVariable} on a machine with network." : "; or run it again with network.");
        return new DatasetUnavailableException(d.Name, sb.ToString());
    }

    public void Dispose() => downloader.Dispose();
}
