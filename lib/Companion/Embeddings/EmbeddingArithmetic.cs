namespace Companion.Embeddings;

/// <summary>How the analogy query is formed from the embeddings (the "normalization or scaling" of the homework).</summary>
/// <param name="NormaliseInputs">Scale each of the three input embeddings to unit length first (CLIP compares unit vectors).</param>
/// <param name="TextScale">α in q = Image(a) + α (Text(to) − Text(from)): how strongly the text edit is applied.</param>
/// <param name="NormaliseQuery">Scale the query to unit length (does not change a cosine ranking; kept for dot-product retrieval).</param>
public sealed record AnalogyOptions(bool NormaliseInputs = true, double TextScale = 1, bool NormaliseQuery = true);

/// <summary>One analogy: Image(source) − Text(from) + Text(to) should retrieve Image(target).</summary>
public sealed record Analogy(string SourceImage, string FromText, string ToText, string TargetImage)
{
    /// <inheritdoc/>
    public override string ToString() => $"Image({SourceImage}) − Text({FromText}) + Text({ToText}) → Image({TargetImage})";
}

/// <summary>The outcome of one analogy query.</summary>
/// <param name="Analogy">The query.</param>
/// <param name="TargetRank">1-based rank of the target image among the gallery by cosine similarity (source image excluded when asked).</param>
/// <param name="Top">The best ids, best first.</param>
/// <param name="TopSimilarity">Their cosine similarities to the query.</param>
/// <param name="TargetSimilarity">Cosine similarity of the target.</param>
public sealed record AnalogyResult(Analogy Analogy, int TargetRank, string[] Top, double[] TopSimilarity, double TargetSimilarity);

/// <summary>
/// Embedding arithmetic in a joint image–text space (homework 000_1ccdba2d613922a2, Question 3): the query
/// q = Image(king) − Text(male) + Text(female), written q = I(a) + α(T(to) − T(from)) with optional unit normalisation of
/// the inputs and of q, and retrieval of the gallery images by cosine similarity cos(q, v) = q·v / (‖q‖‖v‖). The
/// homework's hint (Jia et al. 2021, ALIGN, Figure 5) shows such image+text queries retrieving the edited image.
/// </summary>
public static class EmbeddingArithmetic
{
    /// <summary>v / ‖v‖ (v ≠ 0).</summary>
    public static double[] Normalise(double[] v)
    {
        double n = Math.Sqrt(v.Sum(x => x * x));
        if (n == 0)
        {
            throw new ArgumentException("Cannot normalise a zero vector.", nameof(v));
        }

        return v.Select(x => x / n).ToArray();
    }

    /// <summary>cos(u, v) = u·v / (‖u‖‖v‖).</summary>
    public static double Cosine(double[] u, double[] v)
    {
        if (u.Length != v.Length)
        {
            throw new ArgumentException($"Vectors of lengths {u.Length} and {v.Length}.");
        }

        double dot = 0, nu = 0, nv = 0;
        for (int i = 0; i < u.Length; i++)
        {
            dot += u[i] * v[i];
            nu += u[i] * u[i];
            nv += v[i] * v[i];
        }

        return dot / Math.Sqrt(nu * nv);
    }

    /// <summary>q = I(a) + α (T(to) − T(from)), inputs and q normalised as the options say.</summary>
    public static double[] Query(EmbeddingSet set, Analogy analogy, AnalogyOptions options)
    {
        double[] Get(EmbeddingKind kind, string id)
        {
            var v = set.Get(kind, id).Vector;
            return options.NormaliseInputs ? Normalise(v) : v;
        }

        var image = Get(EmbeddingKind.Image, analogy.SourceImage);
        var from = Get(EmbeddingKind.Text, analogy.FromText);
        var to = Get(EmbeddingKind.Text, analogy.ToText);
        var q = image.Select((x, i) => x + (options.TextScale * (to[i] - from[i]))).ToArray();
        return options.NormaliseQuery ? Normalise(q) : q;
    }

    /// <summary>Ranks the gallery images by cosine similarity to the analogy's query and reports the target's rank.</summary>
    /// <param name="set">The embeddings.</param>
    /// <param name="analogy">The query.</param>
    /// <param name="options">Normalisation and scaling.</param>
    /// <param name="excludeSource">Leave the source image out of the gallery (it is trivially close to its own edit).</param>
    /// <param name="top">How many best ids to report.</param>
    public static AnalogyResult Evaluate(EmbeddingSet set, Analogy analogy, AnalogyOptions options, bool excludeSource = true, int top = 3)
    {
        var q = Query(set, analogy, options);
        _ = set.Get(EmbeddingKind.Image, analogy.TargetImage); // a clear error if the target is missing
        var ranked = set.Images
            .Where(e => !excludeSource || e.Id != analogy.SourceImage)
            .Select(e => (e.Id, Sim: Cosine(q, e.Vector)))
            .OrderByDescending(p => p.Sim)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        int rank = ranked.FindIndex(p => p.Id == analogy.TargetImage) + 1;
        var best = ranked.Take(top).ToArray();
        return new AnalogyResult(analogy, rank, best.Select(p => p.Id).ToArray(), best.Select(p => p.Sim).ToArray(), ranked[rank - 1].Sim);
    }
}
