using MathNet.Numerics.Distributions;

namespace Companion.Embeddings;

/// <summary>
/// A small SYNTHETIC image–text embedding set with planted structure, for running the procedure of homework
/// 000_1ccdba2d613922a2, Question 3 where no CLIP model or CLIP embeddings are available. It is not CLIP: every success
/// and failure it shows is put there by construction, as follows (all directions random orthonormal in ℝ^D):
/// <list type="bullet">
/// <item>image of item c: v = g_I + content(c) + γ·sex(c)·s_I + γ_age·age(c)·a_I + 2γ·young-animal(c)·b_I + noise
/// (γ_age &lt; γ, so a person's nearest other image differs in age, not in sex: the sex edits need the text);
/// text of a word: w = g_T + (the word's attribute)·(s_T or a_T) + noise. g_I ≠ g_T are the two modality offsets (the
/// "modality gap" of CLIP-like models, Liang et al. 2022), larger than the content.</item>
/// <item>the text direction of sex, s_T, is close to the image one (cos = <c>sexAlignment</c>), and so is age for people
/// (a_T against a_I); but puppies, kittens and foals differ from adult animals along b_I, which no word encodes:
/// Image(dog) − Text(adult) + Text(young) is planted to fail.</item>
/// <item>raw vectors have different norms per modality (images ≈ <c>imageNorm</c>, texts ≈ 1), as raw model outputs do,
/// so normalising the inputs and the scale α of the text edit matter.</item>
/// </list>
/// </summary>
public static class PlantedEmbeddings
{
    private static readonly (string Id, string Content, int Sex, int Age, bool YoungAnimal)[] Items =
    [
        ("king", "royal", 1, 1, false), ("queen", "royal", -1, 1, false),
        ("prince", "royal", 1, -1, false), ("princess", "royal", -1, -1, false),
        ("man", "person", 1, 1, false), ("woman", "person", -1, 1, false),
        ("boy", "person", 1, -1, false), ("girl", "person", -1, -1, false),
        ("dog", "canine", 0, 0, false), ("puppy", "canine", 0, 0, true),
        ("cat", "feline", 0, 0, false), ("kitten", "feline", 0, 0, true),
        ("horse", "equine", 0, 0, false), ("foal", "equine", 0, 0, true),
        ("car", "vehicle", 0, 0, false), ("tree", "plant", 0, 0, false), ("house", "building", 0, 0, false),
    ];

    private static readonly (string Word, int Sex, int Age)[] Words =
        [("male", 1, 0), ("female", -1, 0), ("adult", 0, 1), ("young", 0, -1)];

    /// <summary>The analogies the notebook evaluates (5, as the homework asks): four planted to work, one planted to fail.</summary>
    public static Analogy[] Analogies { get; } =
    [
        new("king", "male", "female", "queen"),
        new("man", "male", "female", "woman"),
        new("prince", "male", "female", "princess"),
        new("boy", "male", "female", "girl"),
        new("dog", "adult", "young", "puppy"),
    ];

    /// <summary>Generates the set (deterministic for a seed).</summary>
    /// <param name="dimension">D ≥ 16 (room for the orthonormal directions).</param>
    /// <param name="seed">Seed.</param>
    /// <param name="noise">Per-coordinate noise standard deviation, times 1/√D.</param>
    /// <param name="attribute">γ, the size of a sex step in image space.</param>
    /// <param name="ageStep">γ_age, the size of an age step in image space.</param>
    /// <param name="sexAlignment">cos between the text and image directions of sex (and of age for people).</param>
    /// <param name="imageNorm">Scale of raw image vectors relative to text vectors.</param>
    public static EmbeddingSet Generate(int dimension = 32, int seed = 2021, double noise = 0.15, double attribute = 0.6,
        double sexAlignment = 0.9, double imageNorm = 8, double ageStep = 0.35)
    {
        if (dimension < 16)
        {
            throw new ArgumentException($"Need D ≥ 16 for the planted directions but got {dimension}.", nameof(dimension));
        }

        var rng = new Random(seed);
        var contents = Items.Select(i => i.Content).Distinct().ToArray();
        // Orthonormal directions by Gram–Schmidt on Gaussian vectors: g_I, g_T, s_I, a_I, b_I, s⊥, a⊥, one per content.
        int needed = 7 + contents.Length;
        var basis = new List<double[]>();
        while (basis.Count < needed)
        {
            var v = Enumerable.Range(0, dimension).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
            foreach (var b in basis)
            {
                double dot = v.Zip(b, (x, y) => x * y).Sum();
                for (int j = 0; j < dimension; j++)
                {
                    v[j] -= dot * b[j];
                }
            }

            basis.Add(EmbeddingArithmetic.Normalise(v));
        }

        double[] Lin(params (double C, double[] V)[] terms) =>
            Enumerable.Range(0, dimension).Select(j => terms.Sum(t => t.C * t.V[j])).ToArray();
        double[] Noise() => Enumerable.Range(0, dimension).Select(_ => Normal.Sample(rng, 0, noise / Math.Sqrt(dimension))).ToArray();
        double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

        var (gI, gT, sI, aI, bI, sPerp, aPerp) = (basis[0], basis[1], basis[2], basis[3], basis[4], basis[5], basis[6]);
        double perp = Math.Sqrt(1 - (sexAlignment * sexAlignment));
        var sT = Lin((sexAlignment, sI), (perp, sPerp));
        var aT = Lin((sexAlignment, aI), (perp, aPerp));
        var list = new List<Embedding>();
        foreach (var (id, content, sex, age, young) in Items)
        {
            var c = basis[7 + Array.IndexOf(contents, content)];
            var v = Add(Lin((1.5, gI), (1, c), (attribute * sex, sI), (ageStep * age, aI), (young ? attribute * 2 : 0, bI)), Noise());
            list.Add(new Embedding(EmbeddingKind.Image, id, $"synthetic image: {id}", v.Select(x => x * imageNorm).ToArray()));
        }

        foreach (var (word, sex, age) in Words)
        {
            var v = Add(Lin((1.5, gT), (0.5 * sex, sT), (0.5 * age, aT)), Noise());
            list.Add(new Embedding(EmbeddingKind.Text, word, $"synthetic text: {word}", v));
        }

        return new EmbeddingSet(list);
    }
}
