using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Names;

/// <summary>Per-epoch record of a names-classifier run.</summary>
/// <param name="TrainLoss">Mean cross-entropy over each epoch's mini-batches.</param>
/// <param name="TestAccuracy">Held-out accuracy after each epoch.</param>
/// <param name="EpochSeconds">Wall time of each epoch (training only).</param>
public sealed record NameTrainingHistory(double[] TrainLoss, double[] TestAccuracy, double[] EpochSeconds);

/// <summary>
/// Training and evaluation of a <see cref="CharRnnClassifier"/>: Adam on shuffled mini-batches padded to their longest
/// name, cross-entropy (optionally weighted by n / (C·n_c), so every language counts equally), one dispose scope per step.
/// </summary>
public sealed class NameClassifierTraining
{
    readonly CharVocabulary vocabulary;
    readonly Device device;

    public NameClassifierTraining(CharRnnClassifier model, CharVocabulary vocabulary, int classes, Device? device = null)
    {
        Model = model;
        this.vocabulary = vocabulary;
        Classes = classes;
        this.device = device ?? CPU;
        Model.to(this.device);
    }

    public CharRnnClassifier Model { get; }
    public int Classes { get; }

    /// <summary>Padded indices (B, L) and lengths (B) for a batch of names.</summary>
    public (Tensor Indices, Tensor Lengths) Encode(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var encoded = names.Select(n => vocabulary.Encode(n)).Select(e => e.Length == 0 ? [CharVocabulary.Unknown] : e).ToArray();
        int width = encoded.Max(e => e.Length);
        var flat = new long[encoded.Length * width];
        for (int i = 0; i < encoded.Length; i++)
            for (int j = 0; j < encoded[i].Length; j++) flat[i * width + j] = encoded[i][j];
        return (tensor(flat, [encoded.Length, width], device: device),
                tensor(encoded.Select(e => (long)e.Length).ToArray(), device: device));
    }

    /// <summary>Trains on (name, language index) pairs (e.g. <c>Companion.Data.NamesDataset.Split</c>) for <paramref name="epochs"/> epochs; <paramref name="progress"/> counts steps over all epochs.</summary>
    public NameTrainingHistory Train(IReadOnlyList<(string Name, int Language)> train, IReadOnlyList<(string Name, int Language)> test, int epochs,
        int batchSize = 64, double learningRate = 3e-3, bool balancedLoss = false, long seed = 0, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var counts = new int[Classes];
        foreach (var e in train) counts[e.Language]++;
        using var weight = balancedLoss
            ? tensor(counts.Select(c => c == 0 ? 0f : (float)train.Count / (Classes * c)).ToArray(), device: device)
            : null;
        using var optimizer = optim.Adam(Model.parameters(), learningRate);
        var rng = new Random((int)seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int stepsPerEpoch = (train.Count + batchSize - 1) / batchSize, step = 0;
        var losses = new List<double>();
        var accuracies = new List<double>();
        var seconds = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            rng.Shuffle(order);
            Model.train();
            double sum = 0;
            for (int s = 0; s < stepsPerEpoch; s++)
            {
                Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
                using var scope = NewDisposeScope();
                var batch = order.Skip(s * batchSize).Take(batchSize).Select(i => train[i]).ToArray();
                var (indices, lengths) = Encode(batch.Select(b => b.Name).ToArray());
                var target = tensor(batch.Select(b => (long)b.Language).ToArray(), device: device);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(Model.forward(indices, lengths), target, weight);
                loss.backward();
                optimizer.step();
                double l = loss.ToDouble();
                sum += l;
                progress?.Report(++step, l);
            }
            seconds.Add(clock.Elapsed.TotalSeconds);
            losses.Add(sum / stepsPerEpoch);
            var predicted = Predict(test.Select(e => e.Name).ToArray());
            accuracies.Add(test.Count == 0 ? double.NaN : test.Where((e, i) => predicted[i] == e.Language).Count() / (double)test.Count);
        }
        return new NameTrainingHistory([.. losses], [.. accuracies], [.. seconds]);
    }

    /// <summary>Class probabilities (n, classes) for each name, in batches of 512.</summary>
    public float[][] Probabilities(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Model.eval();
        var result = new List<float[]>();
        using var _ = no_grad();
        for (int s = 0; s < names.Count; s += 512)
        {
            using var scope = NewDisposeScope();
            var (indices, lengths) = Encode(names.Skip(s).Take(512).ToArray());
            var p = nn.functional.softmax(Model.forward(indices, lengths), 1).cpu();
            var flat = p.data<float>().ToArray();
            for (int i = 0; i < p.shape[0]; i++) result.Add(flat.AsSpan(i * Classes, Classes).ToArray());
        }
        return [.. result];
    }

    /// <summary>The most probable language of each name.</summary>
    public int[] Predict(IReadOnlyList<string> names) =>
        [.. Probabilities(names).Select(p => Array.IndexOf(p, p.Max()))];

    /// <summary>The <paramref name="k"/> most probable languages of a name with their probabilities.</summary>
    public (int Language, double Probability)[] TopK(string name, int k = 3) =>
        [.. Probabilities([name])[0].Select((p, c) => (c, (double)p)).OrderByDescending(t => t.Item2).Take(k)];
}
