using System.Diagnostics;
using System.Globalization;
using Companion.Data;
using Companion.Networks.Names;
using Companion.Networks.Recurrent;
using static TorchSharp.torch;

// Speed of this project's TorchSharp training loops next to PyTorch running the same model and loop
// (bench/networks_peer.py under Debian's /usr/bin/python3 with python3-torch). Usage:
//   dotnet run -c Release --project bench/Companion.Networks.Bench [-- THREADS]
// The names epoch needs $COMPANION_DATA/names. Prints both times and the ratio (this project / PyTorch; ≤ 1 is faster).
int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
set_num_threads(threads);
var results = new List<(string What, double Ours)>();

// Q1 RNN: hidden 32, T = 50, batch 64, Adam — RnnRegressor (step-by-step RnnLayer) and RegressorTraining's loop.
random.manual_seed(0);
var (x, y) = RunningAverage.Generate(1024, 50, 1);
var model = new RnnRegressor(1, 32, 1);
RegressorTraining.Train(model, x, y, false, 10, evalEvery: 1_000_000);
var clock = Stopwatch.StartNew();
RegressorTraining.Train(model, x, y, false, 100, evalEvery: 1_000_000);
results.Add(("Q1 RNN training step (H 32, T 50, batch 64, Adam), ms", clock.Elapsed.TotalMilliseconds / 100));

// Q2 names classifier: one epoch of NameClassifierTraining (embedding 32, nn.RNN 128, batch 64, Adam), after one warm-up epoch.
var folder = NamesDataset.DefaultFolder();
if (folder is not null)
{
    var data = NamesDataset.Read(folder);
    var (train, _) = data.Split(0.2, 0);
    var pairs = train.Select(e => (e.Name, e.Language)).ToArray();
    random.manual_seed(0);
    var vocabulary = new CharVocabulary(train.Select(e => e.Name));
    var trainer = new NameClassifierTraining(new CharRnnClassifier(vocabulary.Size, data.Languages.Length), vocabulary, data.Languages.Length);
    var history = trainer.Train(pairs, [], epochs: 2);
    results.Add(("Q2 names classifier epoch (~14k names), ms", history.EpochSeconds[^1] * 1000));
}
else Console.WriteLine("COMPANION_DATA/names not found: the names epoch is skipped");

// The PyTorch peer, same sizes and loop.
var peer = new Dictionary<string, double>();
try
{
    var psi = new ProcessStartInfo("/usr/bin/python3", $"\"{Path.Combine(AppContext.BaseDirectory, "networks_peer.py")}\" {threads} \"{folder ?? ""}\"")
    { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    using var p = Process.Start(psi)!;
    var output = p.StandardOutput.ReadToEnd();
    var error = p.StandardError.ReadToEnd();
    p.WaitForExit();
    foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        if (line.Split(' ') is [var k, var v]) peer[k] = double.Parse(v, CultureInfo.InvariantCulture);
    if (p.ExitCode != 0) Console.WriteLine($"python peer failed ({p.ExitCode}): {error.Trim()}");
}
catch (System.ComponentModel.Win32Exception e)
{
    Console.WriteLine($"python peer not run ({e.Message}): install Debian's python3-torch (apt-get install python3-torch)");
}

string[] keys = ["rnn_step_ms", "names_epoch_ms"];
Console.WriteLine($"libtorch threads: {threads} (both sides)");
Console.WriteLine($"{"measurement",-58} {"TorchSharp",11} {"PyTorch",10} {"ratio",7}");
for (int i = 0; i < results.Count; i++)
{
    var (what, ours) = results[i];
    var theirs = peer.TryGetValue(keys[i], out var t) ? t : double.NaN;
    Console.WriteLine($"{what,-58} {ours,11:F2} {theirs,10:F2} {ours / theirs,7:F2}");
}
