namespace Companion.Networks.Translation;

/// <summary>Words of one language as indices: 0 &lt;pad&gt;, 1 &lt;sos&gt;, 2 &lt;eos&gt;, 3 &lt;unk&gt;, then the words in order of first appearance.</summary>
public sealed class WordVocabulary
{
    public const int Pad = 0;
    public const int Sos = 1;
    public const int Eos = 2;
    public const int Unk = 3;
    readonly List<string> words = ["<pad>", "<sos>", "<eos>", "<unk>"];
    readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

    public WordVocabulary(IEnumerable<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        for (int i = 0; i < words.Count; i++) index[words[i]] = i;
        foreach (var w in sentences.SelectMany(Split))
            if (index.TryAdd(w, words.Count)) words.Add(w);
    }

    public int Size => words.Count;

    public string this[int i] => words[i];

    /// <summary>The words of a sentence (split on spaces).</summary>
    public static string[] Split(string sentence) => sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Indices of the words (unknown → &lt;unk&gt;).</summary>
    public int[] Encode(string sentence) => [.. Split(sentence).Select(w => index.TryGetValue(w, out var i) ? i : Unk)];

    /// <summary>Index of one word (unknown → &lt;unk&gt;).</summary>
    public int IndexOf(string word) => index.TryGetValue(word, out var i) ? i : Unk;
}
