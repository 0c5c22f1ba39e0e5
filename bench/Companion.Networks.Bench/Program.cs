using System.Diagnostics;
using Companion.Networks.Recurrent;
using static TorchSharp.torch;

// Time per training step of the Q1 RNN: hidden 32, T = 50, batch 64, Adam, the step-by-step RnnLayer.
int threads = args.Length > 0 ? int.Parse(args[0]) : get_num_threads();
set_num_threads(threads);
random.manual_seed(0);
var (x, y) = RunningAverage.Generate(1024, 50, 1);
var model = new RnnRegressor(1, 32, 1);
var clock = Stopwatch.StartNew();
var warm = RegressorTraining.Train(model, x, y, false, 10, evalEvery: 1000);
clock.Restart();
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var c = RegressorTraining.Train(model, x, y, false, 100, evalEvery: 1000);
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
Console.WriteLine($"threads {threads}: {clock.Elapsed.TotalMilliseconds / 100:F2} ms/step wall, {cpu.TotalMilliseconds / 100:F2} ms/step cpu");
