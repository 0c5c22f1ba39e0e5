using TorchSharp;

namespace Companion.Networks;

/// <summary>
/// The device a notebook trains on, from its <c>device</c> parameter: <c>"cpu"</c> (the default everywhere),
/// <c>"cuda"</c> / <c>"cuda:N"</c> (needs the CUDA libtorch swap described in docs/networks.md, and a
/// GPU), or <c>"auto"</c> (CUDA when available, else CPU). The same notebook then scales to a GPU machine without edits.
/// </summary>
public static class TorchDevice
{
    /// <summary>Resolves a device name; a CUDA request on a machine or build without CUDA is an error that says why.</summary>
    /// <exception cref="ArgumentException">An unknown name, or CUDA requested where it is not available.</exception>
    public static torch.Device Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim().ToLowerInvariant();
        if (n is "" or "cpu") return torch.CPU;
        if (n == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"device '{name}': CUDA is not available here. This build carries the CPU " +
                    "libtorch; on a machine with an NVIDIA GPU rebuild with `dotnet build lib/Companion.Networks " +
                    "-p:TorchBackend=cuda` (docs/networks.md), or use device \"cpu\" / \"auto\".", nameof(name));
            var device = new torch.Device(n);
            if (device.index >= torch.cuda.device_count())
                throw new ArgumentException($"device '{name}': only {torch.cuda.device_count()} CUDA device(s) present", nameof(name));
            return device;
        }
        throw new ArgumentException($"device '{name}': expected \"cpu\", \"cuda\", \"cuda:N\" or \"auto\"", nameof(name));
    }

    /// <summary>One line about the loaded TorchSharp: versions, device count, threads (printed by notebooks' setup cells).</summary>
    public static string Describe()
    {
        var cuda = torch.cuda.is_available() ? $"CUDA available ({torch.cuda.device_count()} device(s))" : "CUDA not available";
        return $"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, {cuda}, " +
            $"{torch.get_num_threads()} CPU thread(s)";
    }
}
