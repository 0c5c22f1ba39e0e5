namespace Companion.Notebooks;

/// <summary>A notebook file that cannot be read: missing, not JSON, or not nbformat 4. The message names the file.</summary>
public sealed class NotebookFormatException : Exception
{
    public NotebookFormatException() { }
    public NotebookFormatException(string message) : base(message) { }
    public NotebookFormatException(string message, Exception inner) : base(message, inner) { }
}
