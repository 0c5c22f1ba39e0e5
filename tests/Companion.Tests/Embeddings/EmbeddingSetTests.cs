using Companion.Embeddings;

namespace Companion.Tests.Embeddings;

public class EmbeddingSetTests
{
    private const double RoundTripTolerance = 1e-5;

    [Fact]
    public void Write_then_read_round_trips()
    {
        var set = PlantedEmbeddings.Generate(dimension: 16, seed: 3);
        var path = Path.Combine(Path.GetTempPath(), $"emb-{Guid.NewGuid():N}.csv");
        try
        {
            set.Write(path, exact: true);
            var back = EmbeddingSet.Read(path);
            Assert.Equal(set.All.Count, back.All.Count);
            for (int i = 0; i < set.All.Count; i++)
            {
                Assert.Equal(set.All[i].Kind, back.All[i].Kind);
                Assert.Equal(set.All[i].Id, back.All[i].Id);
                Assert.Equal(set.All[i].Caption, back.All[i].Caption);
                Assert.Equal(set.All[i].Vector, back.All[i].Vector);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("kind,id,caption,e0\nimage,a,x,1\nphoto,b,y,2", "line 3: kind must be 'image' or 'text'")]
    [InlineData("kind,id,caption,e0,e1\nimage,a,x,1", "line 2: 4 fields but the header has 5")]
    [InlineData("kind,id,caption,e0\nimage,a,x,abc", "line 2, column e0: 'abc' is not a finite number")]
    [InlineData("kind,id,caption,x0\nimage,a,x,1", "line 1: the header must be")]
    [InlineData("kind,id,caption,e0\nimage,a,x,1\nimage,a,y,2", "Duplicate image id 'a'")]
    [InlineData("", "line 1: the header must be")]
    public void Malformed_files_are_reported_with_the_line_and_the_problem(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => EmbeddingSet.Parse(text.Split('\n'), "test.csv"));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("test.csv", ex.Message);
        Assert.Contains("empty file", Assert.Throws<FormatException>(() => EmbeddingSet.Parse([], "test.csv")).Message);
    }

    [Fact]
    public void Missing_file_and_missing_id_have_clear_messages()
    {
        Assert.Throws<FileNotFoundException>(() => EmbeddingSet.Read("/nonexistent/emb.csv"));
        var set = EmbeddingSet.Parse(["kind,id,caption,e0", "image,a,x,1", "text,b,y,2"]);
        var ex = Assert.Throws<KeyNotFoundException>(() => set.Get(EmbeddingKind.Image, "zz"));
        Assert.Contains("image ids: a", ex.Message);
    }

    [Fact]
    public void The_committed_example_file_is_exactly_the_generator_output()
    {
        // The example file shipped with the HW1 Q3 notebook is PlantedEmbeddings.Generate() with its defaults, written
        // with 6 significant digits; anything else in it would be a hand-made (unlabelled) result.
        var path = Path.Combine(RepoRoot(), "notebooks", "hw1-pca-deep-linear-clip", "data", "synthetic-embeddings.csv");
        var file = EmbeddingSet.Read(path);
        var generated = PlantedEmbeddings.Generate();
        Assert.Equal(generated.All.Count, file.All.Count);
        for (int i = 0; i < file.All.Count; i++)
        {
            Assert.Equal(generated.All[i].Id, file.All[i].Id);
            Assert.StartsWith("synthetic", file.All[i].Caption);
            for (int j = 0; j < file.Dimension; j++)
            {
                Assert.Equal(generated.All[i].Vector[j], file.All[i].Vector[j], RoundTripTolerance * Math.Max(1, Math.Abs(generated.All[i].Vector[j])));
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Companion.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Companion.sln not found above the test binaries.");
    }
}
