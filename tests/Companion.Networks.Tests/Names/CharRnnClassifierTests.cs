using Companion.Networks.Names;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Names;

/// <summary>Padding does not change a name's logits; a small synthetic language task is learned well above chance.</summary>
public class CharRnnClassifierTests
{
    const double LogitTolerance = 1e-5;

    [Fact]
    public void Logits_of_a_name_do_not_depend_on_the_padding_of_its_batch()
    {
        random.manual_seed(1);
        var vocabulary = new CharVocabulary(["abc", "de"]);
        var trainer = new NameClassifierTraining(new CharRnnClassifier(vocabulary.Size, 3, 8, 16), vocabulary, 3);
        var alone = trainer.Probabilities(["ab"])[0];
        var padded = trainer.Probabilities(["ab", "abcdeabcde"])[0];
        for (int c = 0; c < 3; c++) Assert.Equal(alone[c], padded[c], LogitTolerance);
        Assert.Equal([CharVocabulary.Unknown, 2], vocabulary.Encode("ža"));
    }

    [Fact]
    public void Learns_names_whose_language_is_their_ending()
    {
        // language 0 ends in "ov", 1 in "son", 2 in "ini": a task the RNN must read to the last character to solve
        var rng = new Random(2);
        string Stem() => new([.. Enumerable.Range(0, rng.Next(2, 6)).Select(_ => (char)('a' + rng.Next(26)))]);
        string[] endings = ["ov", "son", "ini"];
        var data = Enumerable.Range(0, 600).Select(i => (Stem() + endings[i % 3], i % 3)).ToArray();
        var (train, test) = (data[..480], data[480..]);
        random.manual_seed(0);
        var vocabulary = new CharVocabulary(train.Select(t => t.Item1));
        var trainer = new NameClassifierTraining(new CharRnnClassifier(vocabulary.Size, 3, 16, 32), vocabulary, 3);
        var history = trainer.Train(train, test, epochs: 8, batchSize: 32, learningRate: 1e-2);
        Assert.True(history.TestAccuracy[^1] > 0.9, $"held-out accuracy {history.TestAccuracy[^1]}");
        Assert.True(history.TrainLoss[^1] < history.TrainLoss[0]);
    }
}
