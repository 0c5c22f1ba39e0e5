using Companion.Networks.Translation;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Translation;

/// <summary>Q7: teacher forcing feeds the ground truth; generation feeds the model's own outputs; training learns the set.</summary>
public class EncoderDecoderTests
{
    static EncoderDecoder Trained(out TranslationPair[] pairs)
    {
        pairs = TinyTranslationSet.Pairs();
        random.manual_seed(0);
        var model = new EncoderDecoder(new WordVocabulary(pairs.Select(p => p.Source)), new WordVocabulary(pairs.Select(p => p.Target)), 64);
        EncoderDecoderTraining.Train(model, pairs, 150);
        return model;
    }

    [Fact]
    public void The_set_has_the_homework_example_and_length_mismatches()
    {
        var pairs = TinyTranslationSet.Pairs();
        Assert.Equal(72, pairs.Length);
        Assert.Contains(new TranslationPair("yo veo un perro", "I see a dog"), pairs);
        Assert.Contains(new TranslationPair("vi un perro", "I saw a dog"), pairs);
        Assert.Contains(pairs, p => p.Source.Split(' ').Length != p.Target.Split(' ').Length);
    }

    [Fact]
    public void Training_learns_the_set_and_the_decoder_inputs_are_as_the_homework_says()
    {
        var model = Trained(out var pairs);
        int correct = pairs.Count(p => string.Join(" ", model.Generate(p.Source).Select(s => s.Output).Where(w => w != "<eos>")) == p.Target);
        Assert.True(correct >= 0.9 * pairs.Length, $"{correct} of {pairs.Length} translated correctly");

        var forced = model.TeacherForced(new TranslationPair("yo veo un perro", "I see a dog"));
        Assert.Equal(["<sos>", "I", "see", "a", "dog"], forced.Select(s => s.Input));
        Assert.Equal(["I", "see", "a", "dog", "<eos>"], forced.Select(s => s.Target!));

        var sampled = model.Generate("yo veo un perro", @override: new Dictionary<int, string> { [1] = "saw" });
        Assert.Equal("saw", sampled[1].Output);
        Assert.Equal("saw", sampled[2].Input); // its own previous output is the next input
        for (int t = 1; t < sampled.Count; t++) Assert.Equal(sampled[t - 1].Output, sampled[t].Input);
    }
}
