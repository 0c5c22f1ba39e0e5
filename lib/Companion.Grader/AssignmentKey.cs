using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Companion.Grader;

/// <summary>One graded question of a notebook. <see cref="Manual"/> questions are markdown answers graded by hand.
/// <see cref="Needs"/> names the questions whose code this one's tests call (<c>metadata.grader.needs</c>): breaking one
/// of those may cost this question too, and the self-check allows it. <see cref="Forbid"/> lists the APIs (fully qualified
/// namespaces, types or members) its cells must not use (<c>metadata.grader.forbid</c>; see <see cref="Integrity"/>).</summary>
public sealed record QuestionKey(string Id, string Title, double Points, bool Manual, IReadOnlyList<string>? Needs = null,
    IReadOnlyList<string>? Forbid = null);

/// <summary>
/// One test cell as the source has it (hidden ones included). <see cref="After"/> lists the ids of the cells before it in
/// the student version, nearest first: a hidden (or deleted) test runs right after the first of them the submission has.
/// <see cref="Expected"/>: the values the solution's run emitted from this cell (<c>Grade.Emit</c>), recorded by assign;
/// a test with expected values passes only when the submission emits the same names with matching values.
/// </summary>
public sealed record TestKey(string CellId, string Question, string Name, double Points, bool Hidden, string Source,
    string Checksum, IReadOnlyList<string> After, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject>? Expected = null);

/// <summary>A cell holding a solution region, by cell id (its failure is named in the question's feedback).</summary>
public sealed record SolutionCellKey(string CellId, string Question, int Number);

/// <summary>What grading one notebook needs. <see cref="SourceDirectory"/> is where its <c>#r</c> paths resolve, relative
/// to the key file. <see cref="Code"/>: the solution's code cells in order (tests included), which the semantic checks
/// compare a submission with; never shown to a worker. <see cref="Files"/>: the files or folders beside the notebook
/// that its grading workers may read (<c>metadata.grader.files</c>, relative to <see cref="SourceDirectory"/>).</summary>
public sealed record NotebookKey(string Name, string SourceDirectory, IReadOnlyList<QuestionKey> Questions,
    IReadOnlyList<TestKey> Tests, IReadOnlyList<SolutionCellKey> SolutionCells, IReadOnlyList<CodeCell>? Code = null,
    IReadOnlyList<string>? Files = null)
{
    /// <summary>Points of the automatically graded questions.</summary>
    [JsonIgnore] public double AutoPoints => Questions.Where(q => !q.Manual).Sum(q => q.Points);
}

/// <summary>The grader's files for an assignment (<c>autograder/key.json</c>): every notebook's questions and tests.</summary>
public sealed record AssignmentKey(int Format, string Assignment, IReadOnlyList<NotebookKey> Notebooks)
{
    public const int CurrentFormat = 1;
    public const string FileName = "key.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads a key from a file or from the folder holding <c>key.json</c>; errors name the file.</summary>
    public static (AssignmentKey Key, string KeyDirectory) Read(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new GraderFormatException($"{file}: no grader key here (run `nbgrade assign` first; it writes autograder/{FileName})");
        AssignmentKey? key;
        try
        {
            key = JsonSerializer.Deserialize<AssignmentKey>(File.ReadAllText(file), Json);
        }
        catch (JsonException e)
        {
            throw new GraderFormatException($"{file}: not a grader key ({e.Message})", e);
        }
        if (key is null || key.Notebooks is null || key.Format != CurrentFormat)
            throw new GraderFormatException($"{file}: not a grader key of format {CurrentFormat}");
        return (key, Path.GetDirectoryName(Path.GetFullPath(file))!);
    }

    /// <summary>
    /// The secret that signs the grades of this key (<c>grade.json.sig</c>): an HMAC key derived from the bytes of
    /// <c>key.json</c>, which no worker ever sees (it holds the hidden tests), so a submission cannot sign a grade, and
    /// <c>merge</c> (which is given the key) accepts only what <c>grade</c> wrote.
    /// </summary>
    public static byte[] ResultSecret(string keyDirectory) =>
        System.Security.Cryptography.HMACSHA256.HashData(File.ReadAllBytes(Path.Combine(keyDirectory, FileName)),
            System.Text.Encoding.UTF8.GetBytes("nbgrade grade signature v1"));

    public void Write(string directory) =>
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");
}
