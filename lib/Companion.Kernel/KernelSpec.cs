using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Companion.Kernel;

/// <summary>
/// Writes and removes this kernel's kernelspec (<c>kernel.json</c> and logos) in a Jupyter data folder.
/// The kernel is installed as <see cref="Name"/> and, unless another kernel (.NET Interactive's) already owns the name,
/// also as <see cref="NotebookName"/>: the name in the notebooks' metadata, so they open with this kernel without
/// choosing one. A kernelspec this installer did not write is never overwritten or removed.
/// </summary>
public static class KernelSpec
{
    /// <summary>This kernel's own kernelspec name.</summary>
    public const string Name = "companion-csharp";

    /// <summary>The kernelspec name the project's notebooks carry (.NET Interactive's C# kernel).</summary>
    public const string NotebookName = ".net-csharp";

    /// <summary>The kernelspec display name the project's notebooks carry. The alias uses it, so Jupyter finds nothing to
    /// rewrite in a notebook's metadata on opening (it marked every notebook modified and saving changed its
    /// <c>display_name</c>), and the menus show two distinct names, not "C# (Companion)" twice.</summary>
    public const string NotebookDisplayName = ".NET (C#)";

    /// <summary>Key in <c>kernel.json</c> metadata marking a kernelspec as written by this installer.</summary>
    public const string Marker = "companion_kernel";

    /// <summary>The user's Jupyter data folder (jupyter_core's rules: JUPYTER_DATA_DIR, then the platform default).</summary>
    public static string UserDataDir()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } d) return d;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>The kernels folder for <c>--user</c> (null prefix) or <c>--prefix DIR</c>.</summary>
    public static string KernelsDir(string? prefix) =>
        prefix is null ? Path.Combine(UserDataDir(), "kernels") : Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>The classic-Notebook nbextension folder for <c>--user</c> (null prefix) or <c>--prefix DIR</c>: install writes
    /// plotly.js there, which Notebook serves at <c>{base_url}nbextensions/companion-csharp/plotly.min.js</c> for the
    /// charts' loader (<see cref="Notebooks.ChartLoader"/>); nothing is enabled, the file is only served.</summary>
    public static string NbextensionDir(string? prefix) =>
        Path.Combine(prefix is null ? UserDataDir() : Path.Combine(Path.GetFullPath(prefix), "share", "jupyter"),
            "nbextensions", Notebooks.ChartLoader.NbextensionName);

    /// <summary>The file in <see cref="NbextensionDir"/> marking the folder as written by this installer.</summary>
    public const string NbextensionMarkerFile = "companion-kernel.json";

    /// <summary>Writes plotly.js (and the marker) into the nbextension folder; a folder this installer did not write is
    /// left alone. Returns the line to tell the user.</summary>
    static string InstallNbextension(string? prefix)
    {
        var dir = NbextensionDir(prefix);
        var marker = Path.Combine(dir, NbextensionMarkerFile);
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(marker))
            return $"left {dir} alone (not written by this installer): charts load plotly.js from beside the notebook or the CDN instead";
        Directory.CreateDirectory(dir);
        var plotly = Path.Combine(dir, Notebooks.ChartLoader.PlotlyFileName);
        var source = Notebooks.PlotlyJs.Source;
        if (!File.Exists(plotly) || File.ReadAllText(plotly) != source) File.WriteAllText(plotly, source);
        File.WriteAllText(marker, new JsonObject { [Marker] = new JsonObject { ["plotly.js"] = Notebooks.ChartLoader.PlotlyVersion } }.ToJsonString() + "\n");
        return $"installed plotly.js {Notebooks.ChartLoader.PlotlyVersion} in {dir}: charts draw offline in Jupyter Notebook after reopening";
    }

    /// <summary>The <c>kernel.json</c> that starts this build of the kernel.</summary>
    public static JsonObject KernelJson(string name, string displayName)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "companion-kernel.dll");
        return new JsonObject
        {
            ["argv"] = new JsonArray(DotnetHost(), dll, "kernel", "--connection-file", "{connection_file}"),
            ["display_name"] = displayName,
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["env"] = new JsonObject
            {
                // Measured with bench/kernel/bench_kernels.py (docs/benchmarks.md): a 4 MB gen0 budget, for the kernel
                // and (inherited) its worker. Not the non-concurrent GC: without background GC, the runtime lets gen0's
                // budget grow to 128 MB (it was 6 MB), and the worker held ~50 MB more after the first chart.
                ["DOTNET_GCgen0size"] = "0x400000",
            },
            ["metadata"] = new JsonObject
            {
                [Marker] = new JsonObject { ["name"] = name, ["build"] = AppContext.BaseDirectory },
                ["debugger"] = false,
            },
        };
    }

    /// <summary>The dotnet host running this process, so the kernel starts on the same runtime.</summary>
    static string DotnetHost()
    {
        if (Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet") return p;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)) return h;
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var exe = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(exe) ? exe : "dotnet";
    }

    /// <summary>Whether the kernelspec in <paramref name="dir"/> was written by this installer.</summary>
    public static bool IsOurs(string dir)
    {
        var file = Path.Combine(dir, "kernel.json");
        if (!File.Exists(file)) return false;
        try { return JsonNode.Parse(File.ReadAllText(file))?["metadata"]?[Marker] is not null; }
        catch (JsonException) { return false; }
    }

    /// <summary>Folders on Jupyter's kernel search path holding a kernelspec named <paramref name="name"/>: asks
    /// <c>jupyter kernelspec list</c> when Jupyter is installed, and also looks in the usual folders.</summary>
    public static IReadOnlyList<string> FindInstalled(string name, string? extraKernelsDir = null)
    {
        var found = new List<string>();
        void Check(string kernels)
        {
            var d = Path.GetFullPath(Path.Combine(kernels, name));
            if (File.Exists(Path.Combine(d, "kernel.json")) && !found.Contains(d)) found.Add(d);
        }
        if (extraKernelsDir is not null) Check(extraKernelsDir);
        Check(KernelsDir(null));
        foreach (var p in (Environment.GetEnvironmentVariable("JUPYTER_PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            Check(Path.Combine(p, "kernels"));
        foreach (var p in new[] { "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels" }) Check(p);
        foreach (var d in JupyterKernelspecList(name)) if (!found.Contains(d)) found.Add(d);
        return found;
    }

    static IEnumerable<string> JupyterKernelspecList(string name)
    {
        try
        {
            var psi = new ProcessStartInfo("jupyter", "kernelspec list --json")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi);
            if (p is null) return [];
            var text = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(20_000)) { p.Kill(); return []; }
            var specs = JsonNode.Parse(text.Result)?["kernelspecs"]?.AsObject();
            return specs?[name]?["resource_dir"]?.GetValue<string>() is { } dir ? [Path.GetFullPath(dir)] : [];
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Installs the kernelspec(s); returns the lines to tell the user.</summary>
    /// <param name="prefix">null: the user's Jupyter folder; else <c>PREFIX/share/jupyter/kernels</c>.</param>
    /// <param name="alias">Also install as <see cref="NotebookName"/> when no other kernel owns that name.</param>
    public static List<string> Install(string? prefix, string name = Name, bool alias = true)
    {
        var kernels = KernelsDir(prefix);
        var said = new List<string>();
        var dir = Path.Combine(kernels, name);
        if (Directory.Exists(dir) && !IsOurs(dir))
            throw new InvalidOperationException($"{dir} holds a kernelspec this installer did not write; choose another --name");
        Write(dir, name, name == NotebookName ? NotebookDisplayName : "C# (Companion)");
        said.Add($"installed kernelspec '{name}' in {dir}");
        said.Add(InstallNbextension(prefix));
        if (!alias || name == NotebookName) return said;
        var foreign = FindInstalled(NotebookName, kernels).Where(d => !IsOurs(d)).ToList();
        if (foreign.Count > 0)
        {
            said.Add($"not installed as '{NotebookName}': another kernel owns that name ({string.Join(", ", foreign)}; " +
                ".NET Interactive's). The notebooks will open with it; pick \"C# (Companion)\" in the front end to use this one, " +
                $"or remove it (jupyter kernelspec remove {NotebookName}) and install again.");
            return said;
        }
        var aliasDir = Path.Combine(kernels, NotebookName);
        Write(aliasDir, NotebookName, NotebookDisplayName);
        said.Add($"installed kernelspec '{NotebookName}' in {aliasDir}: the project's notebooks open with this kernel");
        return said;
    }

    /// <summary>Removes this installer's kernelspecs named <paramref name="name"/> and <see cref="NotebookName"/> (only
    /// if ours) from the folder; returns the lines to tell the user.</summary>
    public static List<string> Uninstall(string? prefix, string name = Name)
    {
        var kernels = KernelsDir(prefix);
        var said = new List<string>();
        foreach (var n in new[] { name, NotebookName }.Distinct())
        {
            var dir = Path.Combine(kernels, n);
            if (!Directory.Exists(dir)) continue;
            if (!IsOurs(dir)) { said.Add($"left {dir} alone: it is not this kernel's"); continue; }
            Directory.Delete(dir, recursive: true);
            said.Add($"removed {dir}");
        }
        var nbext = NbextensionDir(prefix);
        if (File.Exists(Path.Combine(nbext, NbextensionMarkerFile)))
        {
            Directory.Delete(nbext, recursive: true);
            said.Add($"removed {nbext}");
        }
        else if (Directory.Exists(nbext)) said.Add($"left {nbext} alone: it is not this kernel's");
        if (said.Count == 0) said.Add($"nothing to remove in {kernels}");
        return said;
    }

    static void Write(string dir, string name, string displayName)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "kernel.json"),
            KernelJson(name, displayName).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllBytes(Path.Combine(dir, "logo-32x32.png"), Logo(32));
        File.WriteAllBytes(Path.Combine(dir, "logo-64x64.png"), Logo(64));
    }

    /// <summary>The logo: a violet rounded square with a white '#', as an RGBA PNG of <paramref name="size"/>².</summary>
    public static byte[] Logo(int size)
    {
        var raw = new byte[size * (1 + 4 * size)];
        double r = size * 0.18;
        for (int y = 0; y < size; y++)
        {
            raw[y * (1 + 4 * size)] = 0; // filter: none
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size, v = (y + 0.5) / size;
                double cx = Math.Clamp(x + 0.5, r, size - r), cy = Math.Clamp(y + 0.5, r, size - r);
                bool inside = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) <= r * r;
                bool bar(double t, double at) => Math.Abs(t - at) < 0.055;
                bool hash = (bar(u - 0.08 * (v - 0.5), 0.40) || bar(u - 0.08 * (v - 0.5), 0.62) || bar(v, 0.40) || bar(v, 0.62))
                    && u is > 0.22 and < 0.80 && v is > 0.20 and < 0.82;
                var px = !inside ? (0, 0, 0, 0) : hash ? (255, 255, 255, 255) : (104, 33, 122, 255);
                int o = y * (1 + 4 * size) + 1 + 4 * x;
                (raw[o], raw[o + 1], raw[o + 2], raw[o + 3]) = ((byte)px.Item1, (byte)px.Item2, (byte)px.Item3, (byte)px.Item4);
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, size);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        (header[8], header[9]) = (8, 6); // 8-bit RGBA
        Chunk(png, "IHDR", header);
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(raw);
            Chunk(png, "IDAT", z.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        s.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    /// <summary>CRC-32 (ISO 3309, as PNG chunks use it).</summary>
    static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}
