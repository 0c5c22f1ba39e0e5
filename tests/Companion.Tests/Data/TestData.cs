namespace Companion.Tests.Data;

/// <summary>
/// Where the tests find real datasets: <c>$COMPANION_DATA</c>, else <c>../shared/data</c> beside the repository root
/// (a developer checkout). A missing dataset skips the test with its name and what to set, except under <c>CI=true</c>,
/// where it fails: CI must run everything.
/// </summary>
internal static class TestData
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

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
        SkipUnlessPresent(folder, $"{name} (looked in '{folder ?? "<none>"}'; set COMPANION_DATA to the folder holding {name}/)");
        return folder!;
    }

    /// <summary>Skips (outside CI) or fails (CI=true) when <paramref name="folder"/> does not exist.</summary>
    public static void SkipUnlessPresent(string? folder, string what)
    {
        if (folder is not null && Directory.Exists(folder)) return;
        if (InCi) Assert.Fail($"dataset {what} is missing, and CI=true runs every test");
        Skip.If(true, $"dataset {what} is not on this machine");
    }
}
