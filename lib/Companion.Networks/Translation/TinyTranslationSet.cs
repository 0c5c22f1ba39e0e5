namespace Companion.Networks.Translation;

/// <summary>A Spanish sentence and its English translation, words separated by single spaces.</summary>
public sealed record TranslationPair(string Source, string Target);

/// <summary>
/// A tiny Spanish → English parallel set written for EECS 182 HW7 Q7 (seed 003, and the worked discussion in seed 001):
/// subject × tense of "ver" (to see) × object, e.g. "yo veo un perro" → "I see a dog", "vi un perro" → "I saw a dog".
/// It contains what Q7(a) is about: sentences whose lengths differ ("veo un perro" has 3 words, "I see a dog" 4) and
/// word order that changes ("un perro grande" → "a big dog").
/// </summary>
public static class TinyTranslationSet
{
    static readonly (string Es, string En, string EsPast, string EnPresent)[] Subjects =
    [
        ("yo veo", "I", "yo vi", "see"),
        ("veo", "I", "vi", "see"),
        ("tú ves", "you", "tú viste", "see"),
        ("él ve", "he", "él vio", "sees"),
        ("ella ve", "she", "ella vio", "sees"),
        ("nosotros vemos", "we", "nosotros vimos", "see"),
    ];

    static readonly (string Es, string En)[] Objects =
    [
        ("un perro", "a dog"), ("un gato", "a cat"), ("un pájaro", "a bird"), ("una casa", "a house"),
        ("un perro grande", "a big dog"), ("una casa grande", "a big house"),
    ];

    static readonly bool[] Tenses = [false, true];

    /// <summary>All 6 × 2 × 6 = 72 pairs, in a fixed order.</summary>
    public static TranslationPair[] Pairs() =>
    [
        .. from s in Subjects
           from past in Tenses
           from o in Objects
           select new TranslationPair($"{(past ? s.EsPast : s.Es)} {o.Es}", $"{s.En} {(past ? "saw" : s.EnPresent)} {o.En}"),
    ];
}
