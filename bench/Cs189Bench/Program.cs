using System.Diagnostics;
using System.Globalization;
using Companion.Networks.ImageClassification;
using Companion.Networks.Parity;
using TorchSharp;
using static TorchSharp.torch;

// CS189 HW7 benchmark: TorchSharp vs Debian's PyTorch on the same work, side by side with the ratio C#/Python.
// The Python side runs as a server and the two sides take turns, step by step (ResNet18) and block by block (parity
// loop), so slow phases of a shared machine hit both alike; the table gives medians over the rounds and their spread.
// Usage: dotnet run -c Release --project bench/Cs189Bench -- [rounds=7] [parityIterations=100] [threads=1]
var inv = CultureInfo.InvariantCulture;
int rounds = args.Length > 0 ? int.Parse(args[0], inv) : 7;
int iterations = args.Length > 1 ? int.Parse(args[1], inv) : 100;
int threads = args.Length > 2 ? int.Parse(args[2], inv) : 1;
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

// Wall time and this process's CPU time (user + system) per step.
TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
(double Wall, double Cpu) Timed(Action f, int count)
{
    var cpu0 = Cpu();
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < count; i++) f();
    return (clock.Elapsed.TotalSeconds / count, (Cpu() - cpu0).TotalSeconds / count);
}
Step();
Timed(ParityStep, 20); // warm-up

// The same in PyTorch, as a server answering one command per line.
Process? py = null;
string pyVersion = "not run";
try
{
    var script = Path.Combine(AppContext.BaseDirectory, "cs189_bench.py");
    var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
    psi.ArgumentList.Add(script);
    psi.ArgumentList.Add(threads.ToString(inv));
    py = Process.Start(psi)!;
    if (py.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException("the PyTorch side did not start");
    py.StandardInput.WriteLine("version");
    pyVersion = py.StandardOutput.ReadLine() ?? "?";
}
catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
{
    Console.Error.WriteLine($"could not run the PyTorch side ({e.Message}); install python3-torch for the comparison");
    py = null;
}
(double Wall, double Cpu)? Python(string command)
{
    if (py is null) return null;
    py.StandardInput.WriteLine(command);
    var parts = (py.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch side stopped")).Split(' ');
    return (double.Parse(parts[0], inv), double.Parse(parts[1], inv));
}

var rows = new Dictionary<string, (List<double> Cs, List<double> Py)>();
void Add(string key, double cs, double? pyValue)
{
    if (!rows.TryGetValue(key, out var r)) rows[key] = r = ([], []);
    r.Cs.Add(cs);
    if (pyValue is { } v) r.Py.Add(v);
}
for (int round = 0; round < rounds; round++)
{
    var cs = Timed(Step, 1);
    var p = Python("resnet");
    Add("resnet", cs.Wall, p?.Wall);
    Add("resnet_cpu", cs.Cpu, p?.Cpu);
    cs = Timed(ParityStep, iterations);
    p = Python($"parity {iterations}");
    Add("parity", cs.Wall, p?.Wall);
    Add("parity_cpu", cs.Cpu, p?.Cpu);
}
py?.StandardInput.Close();
py?.WaitForExit();

static double Median(List<double> v)
{
    var s = v.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
Console.WriteLine($"CS189 HW7 benchmark, {threads} thread(s), {Environment.ProcessorCount} logical CPU(s), {rounds} alternating rounds; TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch {torch.__version__}) vs PyTorch {pyVersion}");
Console.WriteLine($"{"measurement (median over rounds; min–max)",-58} {"TorchSharp",22} {"PyTorch",22} {"ratio C#/Py",12}");
void Row(string name, string key)
{
    var (cs, pyv) = rows[key];
    string Cell(List<double> v) => v.Count == 0 ? "—" : $"{Median(v) * 1e3:0.0} ms ({v.Min() * 1e3:0}–{v.Max() * 1e3:0})";
    string ratio = pyv.Count == 0 ? "—" : $"{Median(cs) / Median(pyv):0.00}";
    Console.WriteLine($"{name,-58} {Cell(cs),22} {Cell(pyv),22} {ratio,12}");
}
Row("ResNet18 fwd+bwd+SGD, batch 128, CPU, per step: wall", "resnet");
Row("  same, process CPU time", "resnet_cpu");
Row($"parity loop d = 30, k = 300, n = 1000, per iteration ({iterations} per round): wall", "parity");
Row("  same, process CPU time", "parity_cpu");
if (rows["resnet"].Py.Count > 0)
{
    var wins = rows["resnet"].Cs.Zip(rows["resnet"].Py).Count(t => t.First <= t.Second);
    Console.WriteLine($"ResNet18 rounds where TorchSharp's step was no slower than PyTorch's: {wins} of {rounds}");
}
Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
