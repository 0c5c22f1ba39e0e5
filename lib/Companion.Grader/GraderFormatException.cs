namespace Companion.Grader;

/// <summary>A source notebook, key or submission the grader cannot use; the message names the file, the cell and the line.</summary>
public sealed class GraderFormatException : Exception
{
    public GraderFormatException() { }
    public GraderFormatException(string message) : base(message) { }
    public GraderFormatException(string message, Exception inner) : base(message, inner) { }
}
