using System.Diagnostics;
using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>The <see cref="IKernel"/> contract: events stream while the cell runs, in program order; console input.</summary>
public class CellCallbacksTests
{
    /// <summary>Generous limit for a cell that should take well under a second (a loaded CI machine).</summary>
    static readonly TimeSpan CellLimit = TimeSpan.FromSeconds(120);

    /// <summary>How long the test cell sleeps between its two lines.</summary>
    const int SleepMs = 3000;

    /// <summary>The first line must arrive at least this long before the cell ends (half the sleep: room for a slow machine).</summary>
    static readonly TimeSpan EarlyMargin = TimeSpan.FromMilliseconds(SleepMs / 2);

    public static TheoryData<bool> Isolation => new() { true, false };

    static IKernel Kernel(bool isolated) => isolated ? new WorkerKernel(TempDir()) : new ScriptKernel(TempDir());

    static string Kind(KernelEvent e) => e.Kind == KernelEvent.UpdateKind ? "update"
        : e.Output["output_type"]!.GetValue<string>() + (e.Output["name"] is { } n ? ":" + n.GetValue<string>() : "");

    [Theory]
    [MemberData(nameof(Isolation))]
    public async Task Console_text_reaches_the_caller_while_the_cell_is_still_running(bool isolated)
    {
        using var kernel = Kernel(isolated);
        var clock = Stopwatch.StartNew();
        TimeSpan? early = null;
        var result = await kernel.ExecuteAsync(1, $"Console.WriteLine(\"early\");\nSystem.Threading.Thread.Sleep({SleepMs});\nConsole.WriteLine(\"late\");",
            CellLimit, new CellCallbacks { OnEvent = e => { if (Outputs.Text(e.Output["text"]).Contains("early")) early ??= clock.Elapsed; } });
        var end = clock.Elapsed;
        Assert.False(result.Failed, result.ErrorSummary);
        Assert.NotNull(early);
        Assert.True(end - early >= EarlyMargin, $"'early' arrived at {early}, the cell ended at {end}");
        Assert.Equal("early\nlate\n", Outputs.Text(result.Events.Single().Output["text"]));
    }

    [Theory]
    [MemberData(nameof(Isolation))]
    public async Task Events_come_in_program_order_and_the_result_merges_streams(bool isolated)
    {
        using var kernel = Kernel(isolated);
        var seen = new List<KernelEvent>();
        var result = await kernel.ExecuteAsync(1,
            "Console.Write(\"a\");\nConsole.Write(\"b\");\nvar h = display(1);\nConsole.Error.Write(\"e\");\nConsole.Write(\"c\");\nh.Update(2);\n5",
            CellLimit, new CellCallbacks { OnEvent = seen.Add });
        Assert.False(result.Failed, result.ErrorSummary);
        // Chunks may be split differently; merged in order they read the same.
        var merged = new CellEventLog();
        foreach (var e in seen) merged.Add(e);
        var kinds = merged.ToList().Select(Kind).ToList();
        Assert.Equal(["stream:stdout", "display_data", "stream:stderr", "stream:stdout", "update", "execute_result"], kinds);
        Assert.Equal(kinds, result.Events.Select(Kind).ToList());
        Assert.Equal("ab", Outputs.Text(result.Events[0].Output["text"]));
        Assert.Equal(result.Events[1].DisplayId, result.Events[4].DisplayId);
        Assert.NotNull(result.Events[1].DisplayId);
    }

    [Theory]
    [MemberData(nameof(Isolation))]
    public async Task Console_input_is_answered_by_the_callback_with_the_prompt(bool isolated)
    {
        using var kernel = Kernel(isolated);
        var prompts = new List<string>();
        var answers = new Queue<string?>(["bob", "xy", null]);
        var result = await kernel.ExecuteAsync(1,
            "Console.Write(\"name? \");\nvar n = Console.ReadLine();\nConsole.WriteLine($\"hi {n}\");\n" +
            "var c1 = (char)Console.Read();\nvar c2 = (char)Console.Read();\nvar rest = Console.ReadLine();\nvar end = Console.ReadLine();\n" +
            "$\"{c1}{c2}|{rest}|{end is null}\"",
            CellLimit, new CellCallbacks { OnInput = (p, _) => { prompts.Add(p); return answers.Dequeue(); } });
        Assert.False(result.Failed, result.ErrorSummary);
        // The prompt shows once: as output when it was already sent (the first write of a cell is sent at once),
        // else as the input request's prompt, never both ("name? name? ").
        var shown = string.Concat(result.Events.Where(e => e.Output["output_type"]?.GetValue<string>() == "stream")
            .Select(e => Outputs.Text(e.Output["text"])));
        Assert.Equal(1, (shown + "|" + prompts[0]).Split("name? ").Length - 1);
        Assert.Equal(["", ""], prompts[1..]);
        Assert.EndsWith("hi bob\n", shown);
        Assert.Equal("xy||True", Outputs.Text(result.Events[^1].Output["data"]!["text/plain"]));
    }

    [Theory]
    [MemberData(nameof(Isolation))]
    public async Task Console_input_without_a_callback_fails_at_once_with_a_clear_message(bool isolated)
    {
        using var kernel = Kernel(isolated);
        var clock = Stopwatch.StartNew();
        var result = await kernel.ExecuteAsync(3, "var line = Console.ReadLine();", CellLimit);
        Assert.True(result.Failed);
        Assert.True(clock.Elapsed < CellLimit / 2);
        var error = result.Events.Single().Output;
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Contains("cell 3 asked for console input", error["evalue"]!.GetValue<string>());
        Assert.Contains("no input can be typed here", error["evalue"]!.GetValue<string>());
        Assert.DoesNotContain("this runner", error["evalue"]!.GetValue<string>());
    }
}
