namespace Companion.Tests.Data;

/// <summary>
/// Where the tests find datasets: <c>$COMPANION_DATA</c> (what .ci/run sets), else <c>../shared/data</c> beside the
/// repository root (the layout of a developer checkout), else a failure that says what to set.
/// </summary>
internal static class TestData
{
    public static string Folder(string name)
    {
        var root = Environment.GetEnvironmentVariable("COMPANION_DATA");
        if (string.IsNullOrEmpty(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Companion.sln")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "data");
                    break;
                }
            }
        }
        var folder = root is null ? null : Path.GetFullPath(Path.Combine(root, name));
        if (folder is null || !Directory.Exists(folder))
        {
            Assert.Fail($"dataset folder '{name}' not found (looked in '{folder ?? "<none>"}'); set COMPANION_DATA to the folder holding {name}/");
        }
        return folder!;
    }
}
