namespace Companion.Notebooks;

/// <summary>
/// What a cell sees at top level besides its own code, matching .NET Interactive's C# kernel:
/// <c>display(x)</c> returns a handle whose <c>Update(y)</c> replaces that output; <c>HTML(s)</c> marks raw HTML.
/// </summary>
public sealed class NotebookGlobals
{
    readonly Action<object?, string> show;
    readonly Action<object?, string> update;

    internal NotebookGlobals(Action<object?, string> show, Action<object?, string> update)
    {
        this.show = show;
        this.update = update;
    }

    /// <summary>Shows <paramref name="value"/> as an output of the running cell and returns a handle to update it.</summary>
#pragma warning disable IDE1006 // lower-case name: this is .NET Interactive's public API
    public DisplayHandle display(object? value)
#pragma warning restore IDE1006
    {
        var id = Guid.NewGuid().ToString("N");
        show(value, id);
        return new DisplayHandle(id, update);
    }

    /// <summary>Raw HTML to display as is.</summary>
#pragma warning disable CA1822 // instance member: script globals are instance members
    public HtmlString HTML(string html) => new(html);
#pragma warning restore CA1822
}

/// <summary>The handle <c>display</c> returns; <see cref="Update"/> replaces the displayed output in place.</summary>
public sealed class DisplayHandle
{
    readonly Action<object?, string> update;

    internal DisplayHandle(string id, Action<object?, string> update)
    {
        DisplayId = id;
        this.update = update;
    }

    /// <summary>The id of the output this handle controls.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed output with <paramref name="value"/>.</summary>
    public void Update(object? value) => update(value, DisplayId);
}
