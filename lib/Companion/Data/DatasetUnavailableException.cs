namespace Companion.Data;

/// <summary>
/// A dataset (or the requested subset of it) could not be had: not in any local folder, and not downloadable (offline
/// mode, no network, every URL failed or served a file that did not verify). The message says what was looked at, which
/// URLs were tried and why each failed, the folder to put the files in and the variables to set. The notebook runner
/// records a notebook whose cell throws this as <c>skipped</c> (with this message as the reason), not failed.
/// </summary>
public sealed class DatasetUnavailableException : Exception
{
    public DatasetUnavailableException() : base("dataset unavailable") { Dataset = ""; }

    public DatasetUnavailableException(string message) : base(message) { Dataset = ""; }

    public DatasetUnavailableException(string message, Exception inner) : base(message, inner) { Dataset = ""; }

    /// <param name="dataset">The registry name (e.g. "mnist").</param>
    /// <param name="message">The whole explanation (see <see cref="DatasetStore"/>).</param>
    public DatasetUnavailableException(string dataset, string message) : base(message) { Dataset = dataset; }

    /// <summary>The dataset's registry name.</summary>
    public string Dataset { get; }
}
