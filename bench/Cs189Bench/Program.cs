using System.Diagnostics;
using System.Globalization;
using Companion.Networks.ImageClassification;
using Companion.Networks.Parity;
using TorchSharp;
using static TorchSharp.torch;

// CS189 HW7 benchmark: TorchSharp vs Debian's PyTorch on the same work, side by side with the ratio C#/Python.
// Usage: dotnet run -c Release --project bench/Cs189Bench -- [resnetBatches=3] [parityIterations=200] [threads=2]
var inv = CultureInfo.InvariantCulture;
int batches = args.Length > 0 ? int.Parse(args[0], inv) : 3;
int iterations = args.Length > 1 ? int.Parse(args[1], inv) : 200;
int threads = args.Length > 2 ? int.Parse(args[2], inv) : 2;
torch.set_num_threads(threads);

// ResNet18 forward + backward + SGD step on a batch of 128 random 3×32×32 images.
random.manual_seed(0);
using var model = new ResNet18();
using var opt = optim.SGD(model.parameters(), 0.01, 0.9, 0, 5e-4);
using var x = randn(128, 3, 32, 32);
using var y = randint(0, 10, [128]);
void Step()
{
    using var scope = NewDisposeScope();
    opt.zero_grad();
    nn.functional.cross_entropy(model.forward(x), y).backward();
    opt.step();
}
Step();
// Wall time and this process's CPU time (user + system): on a machine shared with other work the CPU time of a
// one-thread run stays close to the idle wall time while the wall time swings with the load.
TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
var cpu0 = Cpu();
var clock = Stopwatch.StartNew();
for (int b = 0; b < batches; b++) Step();
double resnet = clock.Elapsed.TotalSeconds / batches;
double resnetCpu = (Cpu() - cpu0).TotalSeconds / batches;

// Parity loop at d = 30 (k = 300, 1000 training inputs, full batch, hinge loss, SGD with momentum), float64.
const int d = 30, k = 300, n = 1000;
random.manual_seed(0);
using var mlp = new ParityMlp(d, k);
var split = ParityData.Sample(d, n, 1, seed: 0);
using var xs = ParitySplit.Inputs(split.Train, d);
using var ys = ParitySplit.Labels(split.Train, split.VStar);
using var popt = optim.SGD(mlp.parameters(), 0.05, 0.9);
void ParityStep()
{
    using var scope = NewDisposeScope();
    popt.zero_grad();
    HingeLoss.Mean(mlp.forward(xs), ys).backward();
    popt.step();
}
for (int i = 0; i < 20; i++) ParityStep();
cpu0 = Cpu();
clock.Restart();
for (int i = 0; i < iterations; i++) ParityStep();
double parity = clock.Elapsed.TotalSeconds / iterations;
double parityCpu = (Cpu() - cpu0).TotalSeconds / iterations;

// The same in PyTorch.
var script = Path.Combine(AppContext.BaseDirectory, "cs189_bench.py");
var psi = new ProcessStartInfo("/usr/bin/python3", $"{script} {threads} {batches} {iterations}") { RedirectStandardOutput = true, RedirectStandardError = true };
var py = new Dictionary<string, double>();
string pyVersion = "not run";
try
{
    using var p = Process.Start(psi)!;
    string output = p.StandardOutput.ReadToEnd();
    string err = p.StandardError.ReadToEnd();
    p.WaitForExit();
    foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
    {
        var parts = line.Split(' ');
        py[parts[0]] = double.Parse(parts[1], inv);
    }
    if (p.ExitCode != 0) Console.Error.WriteLine($"python3 exited with {p.ExitCode}: {err}");
    using var v = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import torch; print(torch.__version__)\"") { RedirectStandardOutput = true })!;
    pyVersion = v.StandardOutput.ReadToEnd().Trim();
    v.WaitForExit();
}
catch (System.ComponentModel.Win32Exception e)
{
    Console.Error.WriteLine($"could not run /usr/bin/python3 ({e.Message}); install python3-torch for the comparison");
}

Console.WriteLine($"CS189 HW7 benchmark, {threads} thread(s), {Environment.ProcessorCount} logical CPU(s); TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch {torch.__version__}) vs PyTorch {pyVersion}");
Console.WriteLine($"{"measurement",-58} {"TorchSharp",12} {"PyTorch",12} {"ratio C#/Py",12}");
void Row(string name, double cs, string key)
{
    string p = py.TryGetValue(key, out var v) ? $"{v * 1e3,10:0.0} ms" : "—";
    string r = py.TryGetValue(key, out var v2) ? $"{cs / v2,12:0.00}" : "—";
    Console.WriteLine($"{name,-58} {cs * 1e3,10:0.0} ms {p,12} {r,12}");
}
Row($"ResNet18 fwd+bwd+SGD, batch 128, CPU (mean of {batches}), wall", resnet, "resnet18");
Row($"  same, process CPU time", resnetCpu, "resnet18_cpu");
Row($"parity loop d = 30, k = 300, n = 1000, per iteration (mean of {iterations}), wall", parity, "parity30");
Row($"  same, process CPU time", parityCpu, "parity30_cpu");
Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
