using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Companion.Clustering;
using Companion.Data;
using Companion.Networks.Autoencoders;

// EECS 182 HW7 speed check (see the csproj). Prints C# and Python times side by side, ratio = C# / Python.
var python = Environment.GetEnvironmentVariable("PEER_PYTHON") ?? "/usr/bin/python3";
var peer = Path.Combine(AppContext.BaseDirectory, "peer.py");
int threads = Environment.ProcessorCount;
Console.WriteLine($"machine: {threads} logical cores; peer: {python} (numpy/scipy/torch from Debian)");
Console.WriteLine($"{"task",-52} {"C#",9} {"Python",9} {"ratio",7}");

double Median(Action f, int reps)
{
    var t = new List<double>();
    for (int i = 0; i < reps; i++)
    {
        var sw = Stopwatch.StartNew();
        f();
        t.Add(sw.Elapsed.TotalSeconds);
    }
    t.Sort();
    return t[t.Count / 2];
}

double Peer(params string[] args)
{
    var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
    psi.ArgumentList.Add(peer);
    foreach (var a in args) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    string output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"peer {string.Join(' ', args)} exited with {p.ExitCode}");
    return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.GetProperty("seconds").GetDouble();
}

void Row(string task, double cs, double py) =>
    Console.WriteLine($"{task,-52} {cs,8:F3}s {py,8:F3}s {cs / py,7:F2}");

foreach (int n in new[] { 1500, 3000 })
{
    var pts = ThreeClusterSet.Make(n, 0);
    var csv = Path.GetTempFileName();
    File.WriteAllLines(csv, Enumerable.Range(0, n).Select(i =>
        string.Create(CultureInfo.InvariantCulture, $"{pts.X[i, 0]:R},{pts.X[i, 1]:R}")));
    int reps = n <= 1500 ? 3 : 1;
    double cs = Median(() => SpectralEmbedding.Top(GraphMatrices.SymmetricNormalised(RbfAdjacency.Compute(pts.X)), 3), reps);
    double py = Peer("spectral", csv, reps.ToString(CultureInfo.InvariantCulture));
    Row($"adjacency + D^-1/2 A D^-1/2 + top-3 vectors, N = {n}", cs, py);
    File.Delete(csv);
}

var folder = Mnist.DefaultFolder();
if (folder is null)
{
    Console.WriteLine($"autoencoder epoch: skipped (set {Mnist.DataVariable} to the folder holding mnist/)");
    return;
}
var mnist = Mnist.Load(folder);
// Both sides train with the same libtorch thread count: argument 1 (default 1). On a loaded 2-core machine two OpenMP
// threads oversubscribe and a run can take 8x longer (PyTorch here: 2.3 s with 1 thread, 18.9 s with 2 at load 18).
int torchThreads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
TorchSharp.torch.set_num_threads(torchThreads);
const int k = 20;
var settings = new AutoencoderSettings(AutoencoderKind.Vanilla, Epochs: 1, BatchSize: 64, LearningRate: 3e-3);
AutoencoderTraining.Train(mnist.Pixels, 784, k, settings, 0).Dispose(); // warm-up
double csEpoch = Median(() => AutoencoderTraining.Train(mnist.Pixels, 784, k, settings, 0).Dispose(), 3);
double pyEpoch = Peer("epoch", Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), k.ToString(CultureInfo.InvariantCulture),
    TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture));
Row($"one AE epoch, 10,000 MNIST, 784→{k}→784, batch 64, {torchThreads} thr", csEpoch, pyEpoch);
