using Companion.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.ImageClassification;

/// <summary>Settings of a training run of an image classifier.</summary>
/// <param name="BatchSize">Images per SGD step.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="WeightDecay">L2 weight decay of SGD.</param>
/// <param name="Augment">Random crop 32 (padding 4) and horizontal flip on every training batch.</param>
/// <param name="Seed">Seeds the initialisation, the batch order and the augmentation.</param>
public sealed record ImageTrainingOptions(int BatchSize = 32, double Momentum = 0.9, double WeightDecay = 5e-4,
    bool Augment = true, int Seed = 0);

/// <summary>A recorded run: per step the learning rate and the batch loss, per epoch the validation accuracy.</summary>
public sealed record ImageTrainingRun(double[] StepLearningRate, double[] StepLoss, double[] EpochValidationAccuracy, double Seconds);

/// <summary>
/// Mini-batch SGD for an image classifier with a learning rate given per step (CS189 HW7 Question 4(e)): each epoch
/// shuffles the training set, each step sets the rate, computes the cross-entropy of a batch, back-propagates and
/// steps, in its own dispose scope; after each epoch the model is evaluated (BatchNorm in eval mode).
/// </summary>
public static class ImageTraining
{
    /// <summary>Trains <paramref name="model"/> for as many steps as <paramref name="learningRates"/> has entries.</summary>
    /// <param name="learningRates">η for step 0, 1, …; its length fixes the number of steps (whole epochs are ⌈n/batch⌉ steps).</param>
    public static ImageTrainingRun Train(nn.Module<Tensor, Tensor> model, ColourImageSet train, ColourImageSet validation,
        IReadOnlyList<double> learningRates, ImageTrainingOptions options, Device? device = null,
        Action<int, int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(options);
        device ??= CPU;
        var stats = ChannelStatistics.Of(train);
        var rng = new Random(options.Seed);
        var augmentRng = options.Augment ? new Random(options.Seed + 1) : null;
        int stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        using var optimizer = optim.SGD(model.parameters(), learningRates[0], options.Momentum, 0, options.WeightDecay);
        var losses = new List<double>();
        var accuracy = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int[] order = [];
        for (int step = 0; step < learningRates.Count; step++)
        {
            int inEpoch = step % stepsPerEpoch;
            if (inEpoch == 0)
            {
                order = Enumerable.Range(0, train.Count).ToArray();
                rng.Shuffle(order);
                model.train();
            }
            int start = inEpoch * options.BatchSize, count = Math.Min(options.BatchSize, train.Count - start);
            using (var scope = NewDisposeScope())
            {
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = learningRates[step];
                }
                var x = ImageBatches.Images(train, order, start, count, stats, augmentRng).to(device);
                var y = ImageBatches.Labels(train, order, start, count).to(device);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
            progress?.Invoke(step + 1, learningRates.Count, losses[^1]);
            if (inEpoch == stepsPerEpoch - 1 || step == learningRates.Count - 1)
            {
                accuracy.Add(Accuracy(model, validation, stats, options.BatchSize * 4, device));
            }
        }
        return new ImageTrainingRun(learningRates.ToArray(), losses.ToArray(), accuracy.ToArray(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Fraction of <paramref name="set"/> classified correctly (argmax of the logits), BatchNorm in eval mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, ColourImageSet set, ChannelStatistics stats, int batchSize = 128, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        device ??= CPU;
        model.eval();
        var order = Enumerable.Range(0, set.Count).ToArray();
        long correct = 0;
        using (no_grad())
        {
            for (int start = 0; start < set.Count; start += batchSize)
            {
                Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, set.Count - start);
                var x = ImageBatches.Images(set, order, start, count, stats).to(device);
                var y = ImageBatches.Labels(set, order, start, count).to(device);
                correct += model.forward(x).argmax(1).eq(y).sum().item<long>();
            }
        }
        model.train();
        return (double)correct / set.Count;
    }
}
