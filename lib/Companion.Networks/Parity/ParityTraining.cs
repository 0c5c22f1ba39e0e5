using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Parity;

/// <summary>Settings of a parity training run (CS189 HW7 Question 3(b)).</summary>
/// <param name="D">Input dimension d.</param>
/// <param name="K">Hidden width k (the homework: 10d).</param>
/// <param name="Iterations">Full-batch gradient steps (the homework: 5·10⁴).</param>
/// <param name="TrainSize">Training inputs (fewer when the cube is small, see <see cref="ParityData.Sample"/>).</param>
/// <param name="HeldOutSize">Held-out inputs, never trained on.</param>
/// <param name="LearningRate">SGD step size.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="RecordEvery">Record loss and accuracies every this many iterations.</param>
/// <param name="Seed">Seeds v*, the data and the initialisation.</param>
/// <param name="FreshBatches">Draw a new batch of <paramref name="TrainSize"/> uniform inputs at every iteration
/// (stochastic gradient on the risk over the inputs outside the held-out set, which no step ever sees) instead of
/// reusing one fixed training set.</param>
/// <param name="MaskWeight">0: v* uniform on {0,1}^d (the homework); w &gt; 0: |v*| = w (see <see cref="ParityData.Sample"/>).</param>
public sealed record ParityTrainingOptions(int D, int K, int Iterations, int TrainSize = 1000, int HeldOutSize = 1000,
    double LearningRate = 0.1, double Momentum = 0.9, int RecordEvery = 50, int Seed = 0, bool FreshBatches = false,
    int MaskWeight = 0);

/// <summary>A recorded parity training run.</summary>
/// <param name="Split">v* and the inputs.</param>
/// <param name="Iteration">Recorded iteration numbers (0 = initialisation).</param>
/// <param name="TrainLoss">Hinge loss on the (fixed) training set; with fresh batches an unbiased estimate of R on inputs the step did not use.</param>
/// <param name="TrainAccuracy">Fraction of training inputs with sign f = y.</param>
/// <param name="HeldOutAccuracy">The same on the held-out inputs.</param>
/// <param name="SecondsPerIteration">Wall time per iteration (this machine).</param>
public sealed record ParityTrainingRun(ParitySplit Split, double[] Iteration, double[] TrainLoss, double[] TrainAccuracy,
    double[] HeldOutAccuracy, double SecondsPerIteration);

/// <summary>
/// Full-batch training of <see cref="ParityMlp"/> on the hinge loss with SGD (CS189 HW7 Question 3(b)): each iteration
/// computes the loss on the whole training set, back-propagates and takes one step, in its own dispose scope.
/// </summary>
public static class ParityTraining
{
    /// <summary>Trains one network.</summary>
    /// <param name="options">Sizes, steps, step size, seed.</param>
    /// <param name="loss">The batch loss (f, y) → scalar; default <see cref="HingeLoss.Mean"/>.</param>
    /// <param name="progress">Called with (iteration, training loss) at each record.</param>
    public static ParityTrainingRun Train(ParityTrainingOptions options, Func<Tensor, Tensor, Tensor>? loss = null,
        Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Iterations < 0 || options.RecordEvery < 1 || !(options.LearningRate > 0))
        {
            throw new ArgumentException($"ParityTraining.Train: need iterations ≥ 0, recordEvery ≥ 1, learning rate > 0; got {options}", nameof(options));
        }
        loss ??= HingeLoss.Mean;
        var split = ParityData.Sample(options.D, options.TrainSize, options.HeldOutSize, options.Seed, options.MaskWeight);
        random.manual_seed(options.Seed);
        using var model = new ParityMlp(options.D, options.K);
        using var xTrain = ParitySplit.Inputs(split.Train, options.D);
        using var yTrain = ParitySplit.Labels(split.Train, split.VStar);
        using var xHeld = ParitySplit.Inputs(split.HeldOut, options.D);
        using var yHeld = ParitySplit.Labels(split.HeldOut, split.VStar);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate, options.Momentum);
        var iteration = new List<double>();
        var trainLoss = new List<double>();
        var trainAcc = new List<double>();
        var heldAcc = new List<double>();
        void Record(int t)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var fTrain = model.forward(xTrain);
            iteration.Add(t);
            trainLoss.Add(loss(fTrain, yTrain).item<double>());
            trainAcc.Add(Accuracy(fTrain, yTrain));
            heldAcc.Add(Accuracy(model.forward(xHeld), yHeld));
            progress?.Invoke(t, trainLoss[^1]);
        }
        Record(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var batchRng = new Random(options.Seed + 1);
        var heldOutSet = split.HeldOut.ToHashSet();
        for (int t = 1; t <= options.Iterations; t++)
        {
            Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor l;
            if (options.FreshBatches)
            {
                var xs = ParityData.FreshBatch(batchRng, options.D, options.TrainSize, heldOutSet);
                l = loss(model.forward(ParitySplit.Inputs(xs, options.D)), ParitySplit.Labels(xs, split.VStar));
            }
            else
            {
                l = loss(model.forward(xTrain), yTrain);
            }
            l.backward();
            optimizer.step();
            if (t % options.RecordEvery == 0 || t == options.Iterations)
            {
                clock.Stop();
                Record(t);
                clock.Start();
            }
        }
        double perIteration = options.Iterations == 0 ? 0 : clock.Elapsed.TotalSeconds / options.Iterations;
        return new ParityTrainingRun(split, iteration.ToArray(), trainLoss.ToArray(), trainAcc.ToArray(), heldAcc.ToArray(), perIteration);
    }

    /// <summary>Fraction of entries with f·y &gt; 0.</summary>
    public static double Accuracy(Tensor f, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(y);
        using var prod = f * y;
        using var correct = prod.gt(0);
        using var asDouble = correct.to_type(float64);
        using var mean = asDouble.mean();
        return mean.item<double>();
    }
}
