using System.Text.Json.Nodes;
using Companion.Kernel;

namespace Companion.Kernel.Tests;

public class KernelSpecTests
{
    static string Temp() => Directory.CreateTempSubdirectory("kernelspec-test-").FullName;

    [Fact]
    public async Task The_kernels_environment_keeps_the_workers_gen0_budget_small()
    {
        // kernel.json's env reaches the worker (inherited). Measured (docs/benchmarks.md): with background GC off, the
        // runtime lets gen0 grow to 128 MB between collections; with it on and a 4 MB gen0 size, at most 6 MB.
        var env = KernelSpec.KernelJson("test", "test")["env"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        using var worker = new Companion.Notebooks.WorkerKernel(Temp(), warmUp: false, environment: env);
        var r = await worker.ExecuteAsync(1, "var gc = GC.GetConfigurationVariables();\n$\"{gc[\"GCGen0MaxBudget\"]} {gc[\"ConcurrentGC\"]}\"",
            TimeSpan.FromMinutes(2));
        var shown = Companion.Notebooks.Outputs.Text(r.Events.Single().Output["data"]!["text/plain"]).Split(' ');
        Assert.InRange(long.Parse(shown[0], System.Globalization.CultureInfo.InvariantCulture), 1, 6L << 20);
        Assert.Equal("True", shown[1]);
    }

    [Fact]
    public void Install_writes_both_names_with_message_interrupts_and_uninstall_removes_them()
    {
        var prefix = Temp();
        var kernels = KernelSpec.KernelsDir(prefix);
        KernelSpec.Install(prefix);
        foreach (var name in new[] { KernelSpec.Name, KernelSpec.NotebookName })
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, name, "kernel.json")))!;
            Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());
            Assert.Contains("{connection_file}", json["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
            Assert.True(File.Exists(json["argv"]![1]!.GetValue<string>()), "argv names a kernel dll that exists");
            Assert.True(File.Exists(Path.Combine(kernels, name, "logo-64x64.png")));
        }
        // The alias carries the notebooks' own display name (nothing for Jupyter to rewrite on opening), the main
        // name another one (the menus do not list the same name twice).
        var notebookNames = Directory.GetFiles(Path.Combine(Jupyter.RepoRoot(), "notebooks"), "*.ipynb", SearchOption.AllDirectories)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["metadata"]!["kernelspec"]!["display_name"]!.GetValue<string>()).Distinct().ToList();
        string Display(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, name, "kernel.json")))!["display_name"]!.GetValue<string>();
        Assert.Equal([Display(KernelSpec.NotebookName)], notebookNames);
        Assert.NotEqual(Display(KernelSpec.Name), Display(KernelSpec.NotebookName));
        // plotly.js as a classic-Notebook nbextension: the exact file the charts' loader asks for.
        var nbext = KernelSpec.NbextensionDir(prefix);
        Assert.Equal(Path.Combine(prefix, "share", "jupyter", "nbextensions", "companion-csharp"), nbext);
        Assert.Equal(Companion.Notebooks.PlotlyJs.Source, File.ReadAllText(Path.Combine(nbext, "plotly.min.js")));
        KernelSpec.Uninstall(prefix);
        Assert.False(Directory.Exists(Path.Combine(kernels, KernelSpec.Name)));
        Assert.False(Directory.Exists(Path.Combine(kernels, KernelSpec.NotebookName)));
        Assert.False(Directory.Exists(nbext), "uninstall removes the nbextension install wrote");
    }

    [Fact]
    public void An_nbextension_folder_install_did_not_write_is_left_alone()
    {
        var prefix = Temp();
        var nbext = KernelSpec.NbextensionDir(prefix);
        Directory.CreateDirectory(nbext);
        File.WriteAllText(Path.Combine(nbext, "plotly.min.js"), "someone else's");
        var said = KernelSpec.Install(prefix);
        Assert.Contains(said, l => l.StartsWith("left " + nbext, StringComparison.Ordinal));
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(nbext, "plotly.min.js")));
        KernelSpec.Uninstall(prefix);
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(nbext, "plotly.min.js")));
    }

    [Fact]
    public void A_dotnet_interactive_kernelspec_is_never_replaced_or_removed()
    {
        var prefix = Temp();
        var foreign = Path.Combine(KernelSpec.KernelsDir(prefix), KernelSpec.NotebookName);
        Directory.CreateDirectory(foreign);
        const string dotnetInteractive = """{"argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}"], "display_name": ".NET (C#)", "language": "C#"}""";
        File.WriteAllText(Path.Combine(foreign, "kernel.json"), dotnetInteractive);
        var said = KernelSpec.Install(prefix);
        Assert.Contains(said, l => l.Contains("another kernel owns that name", StringComparison.Ordinal));
        Assert.Equal(dotnetInteractive, File.ReadAllText(Path.Combine(foreign, "kernel.json")));
        Assert.True(File.Exists(Path.Combine(KernelSpec.KernelsDir(prefix), KernelSpec.Name, "kernel.json")));
        KernelSpec.Uninstall(prefix);
        Assert.Equal(dotnetInteractive, File.ReadAllText(Path.Combine(foreign, "kernel.json")));
    }

    [Fact]
    public void Logo_is_a_png_of_the_requested_size()
    {
        var png = KernelSpec.Logo(64);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(64, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        // CRC of IHDR as zlib's crc32 computes it (independent implementation: System.IO.Compression's zlib is not
        // exposed, so check against the known CRC of a fixed chunk instead): "IEND" with no data → AE 42 60 82.
        Assert.Equal(new byte[] { 0xAE, 0x42, 0x60, 0x82 }, png[^4..]);
    }
}
