using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Translation;

/// <summary>
/// Trains an <see cref="EncoderDecoder"/> with teacher forcing (Q7(b)): the decoder's input at step t is the ground-truth
/// word y_{t−1} (y_0 = &lt;sos&gt;), never its own prediction; cross-entropy over the target words and &lt;eos&gt;,
/// padding ignored. Full batch, Adam, one dispose scope per step.
/// </summary>
public static class EncoderDecoderTraining
{
    /// <summary>Training loss after each epoch (one optimiser step over all pairs).</summary>
    public static double[] Train(EncoderDecoder model, IReadOnlyList<TranslationPair> pairs, int epochs,
        double learningRate = 1e-2, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        using var source = model.EncodeSources([.. pairs.Select(p => p.Source)]);
        var targets = pairs.Select(p => model.Target.Encode(p.Target)).ToArray();
        int width = targets.Max(t => t.Length) + 1;
        var inputs = new long[pairs.Count * width];
        var labels = new long[pairs.Count * width];
        for (int i = 0; i < pairs.Count; i++)
        {
            int[] inp = [WordVocabulary.Sos, .. targets[i]], lab = [.. targets[i], WordVocabulary.Eos];
            for (int t = 0; t < inp.Length; t++) { inputs[i * width + t] = inp[t]; labels[i * width + t] = lab[t]; }
        }
        using var decoderInputs = tensor(inputs, [pairs.Count, width]);
        using var decoderTargets = tensor(labels, [pairs.Count, width]);
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var losses = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.forward(source, decoderInputs);                  // (B, Lt, V)
            var loss = nn.functional.cross_entropy(logits.reshape(-1, model.Target.Size), decoderTargets.reshape(-1),
                ignore_index: WordVocabulary.Pad);
            loss.backward();
            optimizer.step();
            losses[e] = loss.ToDouble();
            progress?.Report(e + 1, losses[e]);
        }
        return losses;
    }
}
