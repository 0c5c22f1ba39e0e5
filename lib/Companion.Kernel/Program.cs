using System.Globalization;
using System.Runtime.InteropServices;

namespace Companion.Kernel;

/// <summary>Command line: <c>kernel</c> (started by Jupyter), <c>install</c>, <c>uninstall</c>.</summary>
public static class Program
{
    const string Usage = """
        companion-kernel: the project's C# notebook engine as a Jupyter kernel

          dotnet run --project lib/Companion.Kernel -c Release -- install [--user | --prefix DIR] [--name NAME] [--no-alias]
              write the kernelspec (default: the user's Jupyter folder, name companion-csharp). Unless --no-alias, it is
              also installed as .net-csharp (the name in the notebooks) when no other kernel (.NET Interactive's) has it.
          dotnet run --project lib/Companion.Kernel -c Release -- uninstall [--user | --prefix DIR] [--name NAME]
              remove what install wrote (never a kernelspec it did not write)
          companion-kernel kernel --connection-file FILE [--cell-timeout SECONDS]
              serve one Jupyter session (Jupyter starts this from kernel.json)
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
            var rest = args[1..];
            switch (args[0])
            {
                case "kernel": return await RunKernel(rest);
                case "install":
                    foreach (var line in KernelSpec.Install(Option(rest, "--prefix"), Option(rest, "--name") ?? KernelSpec.Name,
                        alias: !rest.Contains("--no-alias"))) Console.WriteLine(line);
                    return 0;
                case "uninstall":
                    foreach (var line in KernelSpec.Uninstall(Option(rest, "--prefix"), Option(rest, "--name") ?? KernelSpec.Name))
                        Console.WriteLine(line);
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown command '{args[0]}'\n{Usage}");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or InvalidOperationException
            or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"companion-kernel: {e.Message}");
            return 1;
        }
    }

    static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return null;
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"{name} needs a value");
        return args[i + 1];
    }

    static async Task<int> RunKernel(string[] args)
    {
        var file = Option(args, "--connection-file") ?? Option(args, "-f")
            ?? throw new ArgumentException("kernel: --connection-file FILE is required");
        var timeout = Timeout.InfiniteTimeSpan;
        if (Option(args, "--cell-timeout") is { } t)
            timeout = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"--cell-timeout: '{t}' is not a positive number of seconds");
        var connection = ConnectionInfo.Read(file);
        using var server = new KernelServer(connection, Environment.CurrentDirectory, timeout);
        // Ctrl-C in the terminal that started the front end reaches the kernel too: treat it as an interrupt, not an exit.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; server.Interrupt(); });
        // A front end that died leaves no kernel (nor worker: disposing the server stops it) behind.
        using var parent = new ParentWatch(why =>
        {
            Console.Error.WriteLine($"[companion-kernel] exiting: {why}");
            server.Stop();
        });
        await server.RunAsync();
        return 0;
    }
}
