using Companion.Runner;

RunnerOptions options;
try
{
    options = RunnerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"nbrun: {e.Message}\n\n{RunnerOptions.Usage}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(RunnerOptions.Usage);
    return 0;
}
try
{
    return await NotebookRunner.RunAsync(options, Console.Out);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"nbrun: {e.Message}");
    return 2;
}
