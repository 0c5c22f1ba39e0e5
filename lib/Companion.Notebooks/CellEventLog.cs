using System.Text;

namespace Companion.Notebooks;

/// <summary>
/// Collects a cell's events in order and merges consecutive chunks of the same stream (as Jupyter front ends show
/// them). Stream text is kept in a <see cref="StringBuilder"/> until <see cref="ToList"/>, so appending a million small
/// chunks stays linear.
/// </summary>
public sealed class CellEventLog
{
    readonly List<object> entries = []; // KernelEvent, or (string Stream, StringBuilder Text)
    readonly Lock gate = new();

    /// <summary>Appends an event; a <c>stream</c> output continuing the previous one of the same name is merged into it.</summary>
    public void Add(KernelEvent e)
    {
        lock (gate)
        {
            if (e.Kind == KernelEvent.OutputKind && e.Output["output_type"]?.GetValue<string>() == "stream")
            {
                var name = e.Output["name"]?.GetValue<string>() ?? "stdout";
                AppendStream(name, Outputs.Text(e.Output["text"]));
                return;
            }
            entries.Add(e);
        }
    }

    /// <summary>Appends console text to the given stream, merging with the previous entry when it is the same stream.</summary>
    public void AppendStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (entries.Count > 0 && entries[^1] is ValueTuple<string, StringBuilder> last && last.Item1 == name)
                last.Item2.Append(text);
            else
                entries.Add((name, new StringBuilder(text)));
        }
    }

    /// <summary>The events so far, streams merged.</summary>
    public List<KernelEvent> ToList()
    {
        lock (gate)
            return entries.Select(x => x is KernelEvent e ? e
                : x is ValueTuple<string, StringBuilder> s ? KernelEvent.NewOutput(Outputs.Stream(s.Item1, s.Item2.ToString()))
                : throw new InvalidOperationException("unexpected entry")).ToList();
    }
}
