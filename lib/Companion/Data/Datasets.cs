namespace Companion.Data;

/// <summary>
/// The front door to datasets, as torchvision's <c>download=True</c>: one call returns a verified local folder,
/// downloading into the user cache when needed (see <see cref="DatasetStore"/> for where it looks and how it fetches).
/// <code>
/// var view = display(HTML("mnist: looking…"));
/// var folder = Datasets.Require("mnist", "t10k", p => view.Update(HTML(p.ToHtml())));
/// var digits = Mnist.Load(folder, "t10k");
/// </code>
/// Settings come from the environment at each call: <c>COMPANION_DATA</c>, <c>XDG_CACHE_HOME</c>, <c>COMPANION_OFFLINE</c>.
/// </summary>
public static class Datasets
{
    /// <summary>A verified folder holding dataset <paramref name="name"/> (or its <paramref name="subset"/>).</summary>
    /// <param name="name">"names", "mnist", "fashion-mnist" or "cifar-10" (<see cref="DatasetRegistry"/>).</param>
    /// <param name="subset">null for every file, or a subset such as "t10k" / "train" (MNIST-format), "train" / "test" (CIFAR-10).</param>
    /// <param name="progress">Called with each step (looking, downloading with bytes/rate/ETA, verifying, ready).</param>
    /// <exception cref="DatasetUnavailableException">Not here and not downloadable; the message says what to put where.</exception>
    public static string Require(string name, string? subset = null, Action<DatasetProgress>? progress = null)
    {
        using var store = new DatasetStore();
        return store.Require(name, subset, progress);
    }

    /// <summary>
    /// The first of several requests that can be had, e.g. CIFAR-10 else Fashion-MNIST: returns its index and folder.
    /// </summary>
    /// <exception cref="DatasetUnavailableException">None can be had; the message holds each one's explanation.</exception>
    public static (int Index, string Folder) RequireFirst(IReadOnlyList<(string Name, string? Subset)> requests,
        Action<DatasetProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(requests.Count);
        var reasons = new List<string>();
        using var store = new DatasetStore();
        for (int i = 0; i < requests.Count; i++)
            try
            {
                return (i, store.Require(requests[i].Name, requests[i].Subset, progress));
            }
            catch (DatasetUnavailableException e)
            {
                reasons.Add(e.Message);
            }
        throw new DatasetUnavailableException(string.Join(" / ", requests.Select(r => r.Name)),
            $"none of {string.Join(", ", requests.Select(r => r.Name))} is available.\n\n" + string.Join("\n", reasons));
    }
}
