using System.Runtime.InteropServices;
using Companion.Notebooks;
using Companion.Runner;

// SIGTERM/SIGINT (kill, Ctrl-C, a CI job cancelled): stop the notebook workers before exiting, so none is left running.
// (SIGKILL cannot be caught: then each worker notices that its parent is gone and ends itself.)
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

// nbrun data fetch|list: datasets (its own method, so that Companion.dll is loaded only for this subcommand).
if (args.Length > 0 && args[0] == "data") return await RunData(args[1..]);

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
catch (Exception e) when (e is FileNotFoundException or ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"nbrun: {e.Message}");
    return 2;
}

static Task<int> RunData(string[] rest) => DataCommand.RunAsync(rest, Console.Out);

static void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    WorkerKernel.StopAll();
    Console.Error.WriteLine($"nbrun: stopped by {context.Signal}; notebook workers killed");
    Environment.Exit(context.Signal == PosixSignal.SIGINT ? 130 : 143);
}
