namespace Companion.Networks.Names;

/// <summary>
/// Characters of the training names, as indices for an embedding: 0 is padding, 1 an unknown character (one not seen in
/// training, e.g. in a name a user types), 2.. the seen characters in ordinal order.
/// </summary>
public sealed class CharVocabulary
{
    public const int Padding = 0;
    public const int Unknown = 1;
    readonly Dictionary<char, int> index;

    public CharVocabulary(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Characters = [.. names.SelectMany(n => n).Distinct().Order()];
        index = Characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + 2);
    }

    /// <summary>The seen characters; character k has index k + 2.</summary>
    public char[] Characters { get; }

    /// <summary>Embedding rows needed: padding, unknown, and one per seen character.</summary>
    public int Size => Characters.Length + 2;

    /// <summary>Index of every character of <paramref name="name"/> (unknown ones → <see cref="Unknown"/>).</summary>
    public int[] Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return [.. name.Select(c => index.TryGetValue(c, out var i) ? i : Unknown)];
    }
}
