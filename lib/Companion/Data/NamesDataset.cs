using System.Text;

namespace Companion.Data;

/// <summary>One line of the names dataset: a last name and the index of its language in <see cref="NamesDataset.Languages"/>.</summary>
public sealed record NameExample(string Name, int Language);

/// <summary>
/// The char-RNN names dataset of EECS 182 HW7 Q2 (seed 003; the PyTorch tutorial "Classifying Names with a
/// Character-Level RNN"): a folder of <c>&lt;Language&gt;.txt</c> files, UTF-8, one last name per line; the language
/// is the file name. Reads the copy under <c>$COMPANION_DATA/names</c> or any folder in the same layout.
/// </summary>
/// <param name="Folder">The folder read.</param>
/// <param name="Languages">Language names from the file names, sorted ordinally.</param>
/// <param name="Examples">Every non-blank line in file order (duplicates kept: the files repeat many names).</param>
public sealed record NamesDataset(string Folder, string[] Languages, NameExample[] Examples)
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>$COMPANION_DATA/names</c> when that folder exists, else null.</summary>
    public static string? DefaultFolder()
    {
        var root = Environment.GetEnvironmentVariable("COMPANION_DATA");
        if (string.IsNullOrEmpty(root)) return null;
        var folder = Path.Combine(root, "names");
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }

    /// <summary>Reads every <c>*.txt</c> file of <paramref name="folder"/> as one language.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No <c>.txt</c> files; a file that is empty or holds only blank lines; a
    /// file that is not UTF-8 (UTF-16 is named as such; otherwise the offset of the first invalid byte is given).</exception>
    public static NamesDataset Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"names dataset: folder '{folder}' not found. Put the 18 <Language>.txt " +
                "files of the char-RNN names dataset there, or set COMPANION_DATA to the folder that holds names/.");
        var files = Directory.GetFiles(folder, "*.txt").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidDataException($"names dataset: no <Language>.txt files in '{folder}' (expected one file per " +
                "language, one name per line, e.g. English.txt)");
        var languages = files.Select(Path.GetFileNameWithoutExtension).ToArray();
        var examples = new List<NameExample>();
        for (int k = 0; k < files.Length; k++)
        {
            var names = ReadNames(files[k]);
            examples.AddRange(names.Select(n => new NameExample(n, k)));
        }
        return new NamesDataset(Path.GetFullPath(folder), languages!, [.. examples]);
    }

    /// <summary>The names of one file: strict UTF-8 (a UTF-8 BOM is accepted), trailing whitespace removed, blank lines skipped.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Read"/>.</exception>
    public static string[] ReadNames(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            throw new InvalidDataException($"names dataset: '{path}' is empty; each language file needs one name per line");
        if (bytes.Length >= 2 && (bytes[0], bytes[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
            throw new InvalidDataException($"names dataset: '{path}' is UTF-16; save it as UTF-8 (one name per line)");
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"names dataset: '{path}' is not valid UTF-8 (first bad byte at offset " +
                $"{start + FirstInvalidUtf8Offset(bytes.AsSpan(start))}); save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)", e);
        }
        var names = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0)
            throw new InvalidDataException($"names dataset: '{path}' holds only blank lines; each language file needs one name per line");
        return names;
    }

    static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    /// <summary>Lines per language, indexed like <see cref="Languages"/>.</summary>
    public int[] CountPerLanguage() => CountPerLanguage(Examples, Languages.Length);

    /// <summary>Examples per language in <paramref name="examples"/>.</summary>
    public static int[] CountPerLanguage(IEnumerable<NameExample> examples, int languages)
    {
        var counts = new int[languages];
        foreach (var e in examples) counts[e.Language]++;
        return counts;
    }

    /// <summary>
    /// The held-out split used by the notebook. Rule: keep each distinct (name, language) pair once (the files repeat
    /// names, e.g. Arabic.txt has 108 distinct names in 2000 lines, so a line-level split would test on names seen in
    /// training); within each language, order the distinct names ordinally, shuffle them with <paramref name="seed"/>,
    /// and hold out the first ⌈<paramref name="testFraction"/>·n⌉ (at least one when n ≥ 2). The split is stratified,
    /// so class proportions are the same in both parts up to rounding.
    /// </summary>
    public (NameExample[] Train, NameExample[] Test) Split(double testFraction, int seed)
    {
        if (testFraction is <= 0 or >= 1 || double.IsNaN(testFraction))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the held-out fraction must lie in (0, 1)");
        var rng = new Random(seed);
        var train = new List<NameExample>();
        var test = new List<NameExample>();
        for (int k = 0; k < Languages.Length; k++)
        {
            var distinct = Examples.Where(e => e.Language == k).Select(e => e.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
            rng.Shuffle(distinct);
            int held = distinct.Length < 2 ? 0 : Math.Max(1, (int)Math.Ceiling(testFraction * distinct.Length));
            test.AddRange(distinct.Take(held).Select(n => new NameExample(n, k)));
            train.AddRange(distinct.Skip(held).Select(n => new NameExample(n, k)));
        }
        return ([.. train], [.. test]);
    }
}
