using Companion.Grader;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>Sharding and merging, on submissions that need no worker (unreadable files), so it costs nothing.</summary>
public class ShardTests
{
    [Fact]
    public async Task Shards_partition_the_students_and_merge_into_one_csv()
    {
        var root = TempDir();
        var keyDir = Path.Combine(root, "autograder");
        var source = SourceNotebook.Split(Example(), "hinge-and-step-decay.ipynb");
        new AssignmentKey(AssignmentKey.CurrentFormat, "example", [source.Key]).Write(Directory.CreateDirectory(keyDir).FullName);
        var subs = Directory.CreateDirectory(Path.Combine(root, "subs")).FullName;
        var names = Enumerable.Range(0, 7).Select(i => $"student{i:00}").ToList();
        foreach (var n in names) File.WriteAllText(Path.Combine(subs, n + ".ipynb"), "not json");
        var shardDirs = new List<string>();
        var seen = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var dir = Path.Combine(root, $"shard{i}");
            var (_, students) = await BatchGrader.RunAsync(GraderOptions.Parse(["grade", "--key", keyDir, subs, "-o", dir, "--shard", $"{i}/3"]), new StringWriter());
            Assert.Equal(names.Where((_, k) => k % 3 == i - 1), students.Select(s => s.Student));
            seen.AddRange(students.Select(s => s.Student));
            shardDirs.Add(dir);
        }
        Assert.Equal(names, seen.Order());
        var merged = Path.Combine(root, "all");
        Assert.Equal(0, BatchGrader.Merge(GraderOptions.Parse(["merge", "--key", keyDir, .. shardDirs, "-o", merged]), new StringWriter()));
        var lines = File.ReadAllLines(Path.Combine(merged, "grades.csv"));
        Assert.Equal(names, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.Contains("the notebook could not be read", l));
        Assert.True(File.Exists(Path.Combine(merged, "student03", "feedback.html")));

        var twice = Assert.Throws<GraderFormatException>(() =>
            BatchGrader.Merge(GraderOptions.Parse(["merge", "--key", keyDir, shardDirs[0], shardDirs[0], "-o", merged]), new StringWriter()));
        Assert.Contains("students graded in more than one shard: student00", twice.Message);
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1-3")]
    public void A_bad_shard_is_a_usage_error(string shard) =>
        Assert.Throws<ArgumentException>(() => GraderOptions.Parse(["grade", "--key", "k", "subs", "-o", "o", "--shard", shard]));
}
