namespace Companion.Publishing;

/// <summary>Finds a file of an npm package installed at build time.</summary>
public static class NodeModules
{
    /// <summary>The full path of <c>node_modules/<paramref name="relative"/></c> in <paramref name="searchFrom"/> or its parents; null when absent.</summary>
    public static string? Find(string searchFrom, string relative)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(searchFrom)); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "node_modules", relative);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
