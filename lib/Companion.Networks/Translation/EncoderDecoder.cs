using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Translation;

/// <summary>What the decoder was fed and produced at one step.</summary>
/// <param name="Input">The token entering the decoder at this step (w_t in Q7).</param>
/// <param name="Output">The decoder's most probable next token.</param>
/// <param name="Target">The ground-truth next token (teacher forcing), or null during generation.</param>
public sealed record DecoderStep(string Input, string Output, string? Target);

/// <summary>
/// The encoder–decoder of EECS 182 HW7 Q7 (seed 003): a one-layer GRU encoder over the Spanish word embeddings; its last
/// hidden state initialises a one-layer GRU decoder over English word embeddings, whose state at each step gives logits
/// for the next English word. Source batches are left-padded so the encoder's last state follows the last real word.
/// </summary>
public sealed class EncoderDecoder : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE0044 // registered by reflection
    private Embedding sourceEmbedding;
    private Embedding targetEmbedding;
    private GRU encoder;
    private GRU decoder;
    private Linear output;
#pragma warning restore IDE0044

    public EncoderDecoder(WordVocabulary source, WordVocabulary target, int hidden = 64) : base(nameof(EncoderDecoder))
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        Source = source;
        Target = target;
        sourceEmbedding = Embedding(source.Size, hidden, padding_idx: WordVocabulary.Pad);
        targetEmbedding = Embedding(target.Size, hidden, padding_idx: WordVocabulary.Pad);
        encoder = GRU(hidden, hidden, batchFirst: true);
        decoder = GRU(hidden, hidden, batchFirst: true);
        output = Linear(hidden, target.Size);
        RegisterComponents();
    }

    public WordVocabulary Source { get; }
    public WordVocabulary Target { get; }

    /// <summary>Decoder logits (B, Lt, V) for source indices (B, Ls) and decoder inputs (B, Lt) — teacher forcing when the inputs are the shifted ground truth.</summary>
    public override Tensor forward(Tensor source, Tensor decoderInputs)
    {
        var (_, h) = encoder.forward(sourceEmbedding.forward(source), null);   // h: (1, B, H)
        var (states, _) = decoder.forward(targetEmbedding.forward(decoderInputs), h);
        return output.forward(states);
    }

    /// <summary>Left-padded source indices (B, Ls).</summary>
    public Tensor EncodeSources(IReadOnlyList<string> sentences)
    {
        var enc = sentences.Select(Source.Encode).ToArray();
        int width = enc.Max(e => e.Length);
        var flat = new long[enc.Length * width];
        for (int i = 0; i < enc.Length; i++)
            for (int j = 0; j < enc[i].Length; j++) flat[i * width + width - enc[i].Length + j] = enc[i][j];
        return tensor(flat, [enc.Length, width]);
    }

    /// <summary>Teacher forcing on one pair: inputs &lt;sos&gt; y_1 … y_n, targets y_1 … y_n &lt;eos&gt;, and the model's prediction at each step.</summary>
    public IReadOnlyList<DecoderStep> TeacherForced(TranslationPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var y = Target.Encode(pair.Target);
        long[] inputs = [WordVocabulary.Sos, .. y.Select(v => (long)v)];
        int[] targets = [.. y, WordVocabulary.Eos];
        var logits = forward(EncodeSources([pair.Source]), tensor(inputs).unsqueeze(0));
        var predicted = logits[0].argmax(1).data<long>().ToArray();
        return [.. inputs.Select((w, t) => new DecoderStep(Target[(int)w], Target[(int)predicted[t]], Target[targets[t]]))];
    }

    /// <summary>
    /// Greedy generation: the decoder is fed &lt;sos&gt;, then each of its own outputs, until &lt;eos&gt; or
    /// <paramref name="maxLength"/> steps. <paramref name="override"/> replaces the output at given steps (0-based) by a
    /// chosen word — e.g. a word that sampling happened to pick — and generation continues from it.
    /// </summary>
    public IReadOnlyList<DecoderStep> Generate(string source, int maxLength = 10, IReadOnlyDictionary<int, string>? @override = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (__, h) = encoder.forward(sourceEmbedding.forward(EncodeSources([source])), null);
        var steps = new List<DecoderStep>();
        int input = WordVocabulary.Sos;
        for (int t = 0; t < maxLength; t++)
        {
            var (state, hNext) = decoder.forward(targetEmbedding.forward(tensor(new long[] { input }).unsqueeze(0)), h);
            h = hNext;
            int next = (int)output.forward(state)[0, 0].argmax().ToInt64();
            if (@override is not null && @override.TryGetValue(t, out var forced)) next = Target.IndexOf(forced);
            steps.Add(new DecoderStep(Target[input], Target[next], null));
            if (next == WordVocabulary.Eos) break;
            input = next;
        }
        return steps;
    }
}
