using Companion.Embeddings;

namespace Companion.Tests.Embeddings;

public class EmbeddingArithmeticTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Query_is_the_formula_and_cosine_ranking_equals_distance_ranking_of_unit_vectors()
    {
        var set = PlantedEmbeddings.Generate(seed: 5);
        var a = PlantedEmbeddings.Analogies[0];
        var opt = new AnalogyOptions(NormaliseInputs: true, TextScale: 2, NormaliseQuery: false);
        var q = EmbeddingArithmetic.Query(set, a, opt);
        var i = EmbeddingArithmetic.Normalise(set.Get(EmbeddingKind.Image, a.SourceImage).Vector);
        var f = EmbeddingArithmetic.Normalise(set.Get(EmbeddingKind.Text, a.FromText).Vector);
        var t = EmbeddingArithmetic.Normalise(set.Get(EmbeddingKind.Text, a.ToText).Vector);
        for (int j = 0; j < q.Length; j++)
        {
            Assert.Equal(i[j] - (2 * f[j]) + (2 * t[j]), q[j], Tolerance);
        }

        // Independent ranking: Euclidean distance between unit vectors, ‖u − v‖² = 2 − 2cos.
        var qn = EmbeddingArithmetic.Normalise(q);
        var byDistance = set.Images.Where(e => e.Id != a.SourceImage)
            .OrderBy(e => EmbeddingArithmetic.Normalise(e.Vector).Zip(qn, (x, y) => (x - y) * (x - y)).Sum()).Select(e => e.Id).ToList();
        var result = EmbeddingArithmetic.Evaluate(set, a, opt, top: 5);
        Assert.Equal(byDistance.IndexOf(a.TargetImage) + 1, result.TargetRank);
        Assert.Equal(byDistance.Take(5), result.Top);
    }

    [Fact]
    public void Planted_structure_gives_the_planted_outcomes()
    {
        // Behaviour of the synthetic set, as documented in PlantedEmbeddings: with the text edit (α = 2, unit inputs) the
        // four sex analogies retrieve their target first, while the animal-age one does not; with α = 0 (no edit) none
        // of the four is first (a person's nearest other image differs in age), while the puppy is the dog's nearest.
        var set = PlantedEmbeddings.Generate();
        var withEdit = PlantedEmbeddings.Analogies.Select(a => EmbeddingArithmetic.Evaluate(set, a, new AnalogyOptions(true, 2)).TargetRank).ToArray();
        Assert.Equal([1, 1, 1, 1], withEdit[..4]);
        Assert.True(withEdit[4] > 1);
        var baseline = PlantedEmbeddings.Analogies.Select(a => EmbeddingArithmetic.Evaluate(set, a, new AnalogyOptions(true, 0)).TargetRank).ToArray();
        Assert.All(baseline[..4], r => Assert.True(r > 1));
        Assert.Equal(1, baseline[4]);
        // raw (unnormalised) inputs: image vectors are 8× longer, so the edit is too weak and the four sex edits miss.
        Assert.All(PlantedEmbeddings.Analogies[..4], a => Assert.True(EmbeddingArithmetic.Evaluate(set, a, new AnalogyOptions(false, 1)).TargetRank > 1));
    }

    [Fact]
    public void Aligned_text_directions_make_every_people_analogy_work_and_misaligned_ones_break_them()
    {
        var aligned = PlantedEmbeddings.Generate(sexAlignment: 1);
        var misaligned = PlantedEmbeddings.Generate(sexAlignment: 0);
        var opt = new AnalogyOptions(true, 2);
        Assert.All(PlantedEmbeddings.Analogies[..3], a => Assert.Equal(1, EmbeddingArithmetic.Evaluate(aligned, a, opt).TargetRank));
        Assert.Contains(PlantedEmbeddings.Analogies[..3], a => EmbeddingArithmetic.Evaluate(misaligned, a, opt).TargetRank > 1);
    }

    [Fact]
    public void Cosine_and_normalise_reject_bad_input()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingArithmetic.Normalise([0, 0]));
        Assert.Throws<ArgumentException>(() => EmbeddingArithmetic.Cosine([1, 0], [1, 0, 0]));
        Assert.Equal(0, EmbeddingArithmetic.Cosine([1, 0], [0, 3]), Tolerance);
    }
}
