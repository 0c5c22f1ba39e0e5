using System.Text;
using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>The names reader on the real dataset (counts from its SOURCES.md) and on malformed folders written here.</summary>
public sealed class NamesDatasetTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("names-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [SkippableFact]
    public void Reads_the_18_languages_and_20074_lines()
    {
        var data = NamesDataset.Read(TestData.Folder("names"));
        Assert.Equal(18, data.Languages.Length);
        Assert.Equal(20074, data.Examples.Length); // SOURCES.md: 20074 lines, no blank lines
        var counts = data.CountPerLanguage();
        Assert.Equal(9408, counts[Array.IndexOf(data.Languages, "Russian")]);
        Assert.Equal(3668, counts[Array.IndexOf(data.Languages, "English")]);
        Assert.Equal(73, counts[Array.IndexOf(data.Languages, "Vietnamese")]);
    }

    [SkippableFact]
    public void Split_is_disjoint_stratified_deduplicated_and_repeatable()
    {
        var data = NamesDataset.Read(TestData.Folder("names"));
        var (train, test) = data.Split(0.2, seed: 1);
        var distinct = data.Examples.Distinct().Count();
        Assert.Equal(distinct, train.Length + test.Length);
        Assert.Empty(train.Intersect(test));
        int arabic = Array.IndexOf(data.Languages, "Arabic");
        Assert.Equal(108, train.Count(e => e.Language == arabic) + test.Count(e => e.Language == arabic)); // SOURCES.md
        Assert.Equal((int)Math.Ceiling(0.2 * 108), test.Count(e => e.Language == arabic));
        Assert.Equal(test, data.Split(0.2, seed: 1).Test);
        Assert.NotEqual(test, data.Split(0.2, seed: 2).Test);
    }

    [Fact]
    public void Folder_that_does_not_exist_is_named()
    {
        var missing = Path.Combine(temp, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => NamesDataset.Read(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("COMPANION_DATA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_txt_files_is_an_error()
    {
        File.WriteAllText(Path.Combine(temp, "readme.md"), "x");
        var e = Assert.Throws<InvalidDataException>(() => NamesDataset.Read(temp));
        Assert.Contains("no <Language>.txt files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_blank_files_are_named()
    {
        File.WriteAllText(Path.Combine(temp, "A.txt"), "Abel\n");
        File.WriteAllBytes(Path.Combine(temp, "B.txt"), []);
        var e = Assert.Throws<InvalidDataException>(() => NamesDataset.Read(temp));
        Assert.Contains("B.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(temp, "B.txt"), "\n  \n");
        e = Assert.Throws<InvalidDataException>(() => NamesDataset.Read(temp));
        Assert.Contains("only blank lines", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1_and_utf16_files_are_rejected_with_the_encoding_named()
    {
        File.WriteAllBytes(Path.Combine(temp, "German.txt"), [.. "M\u00fcller\n"u8[..1], 0xFC, .. "ller\n"u8]); // Latin-1 ü
        var e = Assert.Throws<InvalidDataException>(() => NamesDataset.Read(temp));
        Assert.Contains("German.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8 (first bad byte at offset 1)", e.Message, StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(temp, "German.txt"), Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Muller\n")).ToArray());
        e = Assert.Throws<InvalidDataException>(() => NamesDataset.Read(temp));
        Assert.Contains("UTF-16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_folder_with_bom_crlf_and_blank_lines_reads_cleanly()
    {
        File.WriteAllBytes(Path.Combine(temp, "Polish.txt"), [.. Encoding.UTF8.GetPreamble(), .. "Ślusàrski\r\n\r\nNowak \r\n"u8]);
        var data = NamesDataset.Read(temp);
        Assert.Equal(["Polish"], data.Languages);
        Assert.Equal(["Ślusàrski", "Nowak"], data.Examples.Select(x => x.Name));
    }
}
