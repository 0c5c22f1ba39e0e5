using System.Globalization;
using System.Text;

namespace Companion.Embeddings;

/// <summary>Which encoder produced an embedding.</summary>
public enum EmbeddingKind
{
    /// <summary>An image embedding (CLIP's image tower).</summary>
    Image,

    /// <summary>A text embedding (CLIP's text tower).</summary>
    Text,
}

/// <summary>One embedding: its kind, a unique id within its kind, a caption (what the image shows, or the prompt), and the vector.</summary>
public sealed record Embedding(EmbeddingKind Kind, string Id, string Caption, double[] Vector);

/// <summary>
/// A set of image and text embeddings in one joint space, for the CLIP arithmetic of homework 000_1ccdba2d613922a2,
/// Question 3. File format (UTF-8 CSV, one embedding per line, comma-separated, no quoting):
/// <code>
/// kind,id,caption,e0,e1,…,e{D−1}        ← header, exactly these names, D ≥ 1
/// image,king,a photo of a king,0.0132,-0.0871,…
/// text,male,male,0.0412,…
/// </code>
/// kind is <c>image</c> or <c>text</c>; id is unique per kind and has no comma; the caption has no comma; the D values
/// are invariant-culture decimal numbers. Embeddings exported from a real CLIP model (e.g. with open_clip's
/// <c>encode_image</c>/<c>encode_text</c>, written row by row) fit as they are; normalisation is an option of the
/// arithmetic, not of the file.
/// </summary>
public sealed class EmbeddingSet
{
    private readonly Dictionary<(EmbeddingKind, string), Embedding> byId = [];

    /// <summary>Builds a set; all vectors must have the same dimension and ids must be unique per kind.</summary>
    /// <exception cref="ArgumentException">Empty set, mixed dimensions, a duplicate id or a non-finite value.</exception>
    public EmbeddingSet(IEnumerable<Embedding> embeddings)
    {
        All = [.. embeddings];
        if (All.Count == 0)
        {
            throw new ArgumentException("An embedding set needs at least one embedding.", nameof(embeddings));
        }

        Dimension = All[0].Vector.Length;
        foreach (var e in All)
        {
            if (e.Vector.Length != Dimension || Dimension == 0)
            {
                throw new ArgumentException($"{e.Kind} '{e.Id}' has dimension {e.Vector.Length} but the set has {Dimension}.", nameof(embeddings));
            }

            if (e.Vector.Any(v => !double.IsFinite(v)))
            {
                throw new ArgumentException($"{e.Kind} '{e.Id}' has a non-finite value.", nameof(embeddings));
            }

            if (!byId.TryAdd((e.Kind, e.Id), e))
            {
                throw new ArgumentException($"Duplicate {e.Kind.ToString().ToLowerInvariant()} id '{e.Id}'.", nameof(embeddings));
            }
        }
    }

    /// <summary>Every embedding, in file order.</summary>
    public IReadOnlyList<Embedding> All { get; }

    /// <summary>D, the dimension of every vector.</summary>
    public int Dimension { get; }

    /// <summary>The image embeddings (the retrieval gallery).</summary>
    public IReadOnlyList<Embedding> Images => All.Where(e => e.Kind == EmbeddingKind.Image).ToList();

    /// <summary>The embedding of the given kind and id.</summary>
    /// <exception cref="KeyNotFoundException">No such id; the message lists what there is.</exception>
    public Embedding Get(EmbeddingKind kind, string id) =>
        byId.TryGetValue((kind, id), out var e)
            ? e
            : throw new KeyNotFoundException($"No {kind.ToString().ToLowerInvariant()} embedding with id '{id}'; the set has {kind.ToString().ToLowerInvariant()} ids: {string.Join(", ", All.Where(x => x.Kind == kind).Select(x => x.Id))}.");

    /// <summary>Reads the CSV format of the class summary.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">A malformed line: the message names the file, the line and what is wrong.</exception>
    public static EmbeddingSet Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No embedding file at '{Path.GetFullPath(path)}'.", path);
        }

        return Parse(File.ReadLines(path, Encoding.UTF8), path);
    }

    /// <summary>Parses the CSV format from lines (<paramref name="source"/> names them in error messages).</summary>
    public static EmbeddingSet Parse(IEnumerable<string> lines, string source = "<text>")
    {
        using var it = lines.GetEnumerator();
        if (!it.MoveNext())
        {
            throw new FormatException($"{source}: empty file; expected a header 'kind,id,caption,e0,…'.");
        }

        var header = it.Current.TrimEnd('\r').Split(',');
        int dim = header.Length - 3;
        if (header.Length < 4 || header[0] != "kind" || header[1] != "id" || header[2] != "caption"
            || Enumerable.Range(0, dim).Any(j => header[3 + j] != $"e{j}"))
        {
            throw new FormatException($"{source}, line 1: the header must be 'kind,id,caption,e0,e1,…' but is '{Shorten(it.Current)}'.");
        }

        var list = new List<Embedding>();
        int lineNo = 1;
        while (it.MoveNext())
        {
            lineNo++;
            var line = it.Current.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length != header.Length)
            {
                throw new FormatException($"{source}, line {lineNo}: {f.Length} fields but the header has {header.Length} (kind, id, caption and D = {dim} values; captions may not contain commas).");
            }

            var kind = f[0] switch
            {
                "image" => EmbeddingKind.Image,
                "text" => EmbeddingKind.Text,
                _ => throw new FormatException($"{source}, line {lineNo}: kind must be 'image' or 'text' but is '{f[0]}'."),
            };
            if (f[1].Length == 0)
            {
                throw new FormatException($"{source}, line {lineNo}: empty id.");
            }

            var v = new double[dim];
            for (int j = 0; j < dim; j++)
            {
                if (!double.TryParse(f[3 + j], NumberStyles.Float, CultureInfo.InvariantCulture, out v[j]) || !double.IsFinite(v[j]))
                {
                    throw new FormatException($"{source}, line {lineNo}, column e{j}: '{f[3 + j]}' is not a finite number.");
                }
            }

            list.Add(new Embedding(kind, f[1], f[2], v));
        }

        try
        {
            return new EmbeddingSet(list);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Writes the CSV format (values with 6 significant digits, "R" round-trip if <paramref name="exact"/>).</summary>
    public void Write(string path, bool exact = false)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.Write("kind,id,caption");
        for (int j = 0; j < Dimension; j++)
        {
            w.Write($",e{j}");
        }

        w.Write('\n');
        foreach (var e in All)
        {
            if (e.Id.Contains(',') || e.Caption.Contains(','))
            {
                throw new ArgumentException($"{e.Kind} '{e.Id}': ids and captions may not contain commas in this format.");
            }

            w.Write($"{(e.Kind == EmbeddingKind.Image ? "image" : "text")},{e.Id},{e.Caption}");
            foreach (var x in e.Vector)
            {
                w.Write(',');
                w.Write(x.ToString(exact ? "R" : "G6", CultureInfo.InvariantCulture));
            }

            w.Write('\n');
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
