namespace Companion.Data;

/// <summary>
/// Where a dataset is on this machine, for <c>data list</c>: the first folder (in lookup order) holding any verified
/// subset, which subsets verify there, its size, and what is missing or bad.
/// </summary>
/// <param name="Definition">The registry entry.</param>
/// <param name="Folder">The folder reported (null when none holds anything usable).</param>
/// <param name="Origin">"$COMPANION_DATA/…", "system package" or "user cache".</param>
/// <param name="Complete">Every file verifies there.</param>
/// <param name="VerifiedSubsets">Subsets whose files all verify there.</param>
/// <param name="Bytes">Bytes of the dataset's files in that folder.</param>
/// <param name="Problems">Missing or bad files there.</param>
public sealed record DatasetStatus(DatasetDefinition Definition, string? Folder, string? Origin, bool Complete,
    IReadOnlyList<string> VerifiedSubsets, long Bytes, IReadOnlyList<string> Problems)
{
    /// <summary>The status of <paramref name="d"/> in the locations of <paramref name="locations"/>.</summary>
    public static DatasetStatus Of(DatasetDefinition d, DatasetCache locations)
    {
        DatasetStatus? partial = null;
        foreach (var (folder, origin) in locations.Candidates(d))
        {
            if (!Directory.Exists(folder)) continue;
            var problems = DatasetStore.Check(folder, d.Files);
            var subsets = d.Subsets.Keys.Where(s => DatasetStore.Check(folder, d.FilesOf(s)).Count == 0).ToList();
            long bytes = d.Files.Select(f => new FileInfo(Path.Combine(folder, f.Name))).Where(i => i.Exists).Sum(i => i.Length);
            var status = new DatasetStatus(d, folder, origin, problems.Count == 0, subsets, bytes, problems);
            if (status.Complete) return status;
            if (partial is null && (subsets.Count > 0 || bytes > 0)) partial = status;
        }
        return partial ?? new DatasetStatus(d, null, null, false, [], 0, ["absent"]);
    }
}
