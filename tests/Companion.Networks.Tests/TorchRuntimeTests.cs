using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Tests;

/// <summary>
/// TorchSharp loads on this machine (with the build's GLIBCXX fix where the system libstdc++ needs it) and computes: a
/// tensor operation against values computed by hand, and the ELF version needs of the built libLibTorchSharp.so
/// checked with binutils' readelf (an independent reader of the same format).
/// </summary>
public class TorchRuntimeTests
{
    const double Tolerance = 1e-6;

    [Fact]
    public void A_matrix_product_runs_and_matches_the_hand_value()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = a.matmul(b);
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void Autograd_gives_the_derivative_of_a_cubic()
    {
        using var x = tensor(2.0, requires_grad: true);
        using var y = x.pow(3);
        y.backward();
        Assert.Equal(12.0, x.grad!.item<double>(), Tolerance); // d/dx x³ = 3x² = 12 at x = 2
    }

    [Fact]
    public void Seeds_make_random_tensors_repeatable()
    {
        random.manual_seed(7);
        using var a = randn(5);
        random.manual_seed(7);
        using var b = randn(5);
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        Assert.Equal(randn(5, generator: g1).data<float>().ToArray(), randn(5, generator: g2).data<float>().ToArray());
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void Every_libstdcxx_version_need_the_system_lacks_is_weak()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists("/usr/bin/readelf")) return;
        var so = Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location)!, "libLibTorchSharp.so");
        if (!File.Exists(so)) so = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();
        var libstdcxx = Run("/sbin/ldconfig", "-p").Split('\n')
            .First(l => l.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains("x86-64", StringComparison.Ordinal))
            .Split("=> ")[1].Trim();
        // readelf -V prints version definitions as "Name: GLIBCXX_3.4.30" lines in the .gnu.version_d section
        var defined = Run("/usr/bin/readelf", $"-V {libstdcxx}").Split('\n')
            .SkipWhile(l => !l.Contains(".gnu.version_d", StringComparison.Ordinal)).TakeWhile(l => !l.Contains(".gnu.version_r", StringComparison.Ordinal))
            .Select(l => l.Split("Name: ") is { Length: > 1 } p ? p[1].Split(' ')[0].Trim() : null).Where(n => n is not null).ToHashSet();
        var needs = Run("/usr/bin/readelf", $"-V {so}").Split('\n')
            .Where(l => l.Contains("Name: GLIBCXX_", StringComparison.Ordinal) || l.Contains("Name: CXXABI_", StringComparison.Ordinal))
            .Select(l => (Name: l.Split("Name: ")[1].Split(' ')[0], Weak: l.Contains("Flags: WEAK", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(defined);
        Assert.NotEmpty(needs);
        foreach (var (name, weak) in needs)
            Assert.True(defined.Contains(name) || weak, $"{so} needs {name}, which {libstdcxx} lacks, and it is not weak");
    }

    [Fact]
    public void Cpu_is_the_default_device_and_a_bad_name_is_an_error()
    {
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("cpu").type);
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("").type);
        var e = Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("gpu0"));
        Assert.Contains("gpu0", e.Message, StringComparison.Ordinal);
        if (!cuda.is_available())
        {
            Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("auto").type);
            var c = Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("cuda"));
            Assert.Contains("TorchBackend=cuda", c.Message, StringComparison.Ordinal);
        }
    }

    static string Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }
}
