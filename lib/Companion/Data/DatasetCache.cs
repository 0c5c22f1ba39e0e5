namespace Companion.Data;

/// <summary>
/// Where datasets are looked for and kept, from the environment: <c>$COMPANION_DATA/&lt;name&gt;</c> (a folder the user
/// or a course provides), the system folders of the registry entry (Debian packages), then the user cache
/// <c>$XDG_CACHE_HOME/companion/datasets/&lt;name&gt;</c> (else <c>~/.cache/companion/datasets/&lt;name&gt;</c>), which is
/// the only place downloads go. <c>COMPANION_OFFLINE=1</c> forbids downloads.
/// </summary>
/// <param name="DataRoot">The folder holding <c>&lt;name&gt;/</c> folders given by the user, or null.</param>
/// <param name="CacheRoot">The cache folder holding <c>&lt;name&gt;/</c> folders.</param>
/// <param name="Offline">Downloads forbidden.</param>
/// <param name="UseSystemFolders">Look in the registry's system folders (false in tests).</param>
public sealed record DatasetCache(string? DataRoot, string CacheRoot, bool Offline, bool UseSystemFolders = true)
{
    /// <summary>The variable naming a folder that holds dataset folders (<c>names/</c>, <c>mnist/</c>, …).</summary>
    public const string DataVariable = "COMPANION_DATA";

    /// <summary>The variable that forbids downloads when set to 1 (or true).</summary>
    public const string OfflineVariable = "COMPANION_OFFLINE";

    /// <summary>The locations the environment gives now.</summary>
    public static DatasetCache FromEnvironment()
    {
        var data = Environment.GetEnvironmentVariable(DataVariable);
        var offline = Environment.GetEnvironmentVariable(OfflineVariable);
        return new DatasetCache(string.IsNullOrWhiteSpace(data) ? null : Path.GetFullPath(data), DefaultCacheRoot(),
            offline is not null && (offline.Trim() == "1" || offline.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary><c>$XDG_CACHE_HOME/companion/datasets</c>, else <c>~/.cache/companion/datasets</c>.</summary>
    public static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "companion", "datasets");
    }

    /// <summary>The cache folder of a dataset (where downloads and <c>data fetch --from</c> copies go).</summary>
    public string CacheFolder(DatasetDefinition d) => Path.Combine(CacheRoot, d.Name);

    /// <summary>The folders looked in, in order, with where each comes from.</summary>
    public IEnumerable<(string Folder, string Origin)> Candidates(DatasetDefinition d)
    {
        if (DataRoot is not null) yield return (Path.Combine(DataRoot, d.Name), $"${DataVariable}/{d.Name}");
        if (UseSystemFolders)
            foreach (var f in d.SystemFolders) yield return (f, "system package");
        yield return (CacheFolder(d), "user cache");
    }
}
