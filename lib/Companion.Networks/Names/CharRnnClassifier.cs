using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Names;

/// <summary>
/// Character-level RNN classifier of last names, EECS 182 HW7 Q2 (seed 003; after the PyTorch tutorial "Classifying
/// Names with a Character-Level RNN"): embedding e(c) of each character → tanh RNN (<c>nn.RNN</c>) over the name →
/// logits W h_L + b from the hidden state after the name's last character. Input: padded indices (B, L) and lengths (B).
/// </summary>
public sealed class CharRnnClassifier : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE0044 // registered by reflection
    private Embedding embed;
    private RNN rnn;
    private Linear output;
#pragma warning restore IDE0044

    /// <param name="vocabulary">Embedding rows (<see cref="CharVocabulary.Size"/>).</param>
    /// <param name="classes">Number of languages.</param>
    /// <param name="embedding">Size of e(c).</param>
    /// <param name="hidden">Size of the RNN state.</param>
    public CharRnnClassifier(int vocabulary, int classes, int embedding = 32, int hidden = 128) : base(nameof(CharRnnClassifier))
    {
        embed = Embedding(vocabulary, embedding, padding_idx: CharVocabulary.Padding);
        rnn = RNN(embedding, hidden, numLayers: 1, nonLinearity: NonLinearities.Tanh, batchFirst: true);
        output = Linear(hidden, classes);
        RegisterComponents();
    }

    /// <summary>Logits (B, classes) from indices (B, L) padded after each name and lengths (B) ≥ 1.</summary>
    public override Tensor forward(Tensor indices, Tensor lengths)
    {
        var (states, _) = rnn.forward(embed.forward(indices), null);        // (B, L, H)
        var rows = arange(indices.shape[0], device: indices.device);
        var last = states[rows, lengths - 1];                               // state after each name's last character, (B, H)
        return output.forward(last);
    }
}
