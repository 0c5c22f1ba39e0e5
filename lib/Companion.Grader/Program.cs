using Companion.Grader;

if (args.Length > 0 && args[0] == "worker") return await WorkerMain.RunAsync(args);
GraderOptions options;
try
{
    options = GraderOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"nbgrade: {e.Message}\n\n{GraderOptions.Usage}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(GraderOptions.Usage);
    return 0;
}
try
{
    return options.Command switch
    {
        "assign" => await Assigner.RunAsync(options, Console.Out),
        "grade" => (await BatchGrader.RunAsync(options, Console.Out)).ExitCode,
        _ => BatchGrader.Merge(options, Console.Out),
    };
}
catch (Exception e) when (e is GraderFormatException or Companion.Notebooks.NotebookFormatException or ArgumentException)
{
    Console.Error.WriteLine($"nbgrade: {e.Message}");
    return 2;
}
