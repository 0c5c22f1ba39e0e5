using System.Globalization;
using System.Text;

namespace Companion.Plotly;

/// <summary>
/// Maths notation in chart text: every title, axis title, legend name, subtitle, colour-bar title and slider label
/// goes through <see cref="Markup"/>, which turns TeX-like sub- and superscripts into the <c>&lt;sub&gt;</c> and
/// <c>&lt;sup&gt;</c> tags that plotly.js draws. The rules (docs/charts.md, "Charts: colours, notation, axes"):
/// <list type="bullet">
/// <item><c>_{…}</c>, <c>^{…}</c> (braces nest) and <c>_(…)</c>, <c>^(…)</c> (the brackets are dropped): the
/// bracketed text: <c>(1+α²)^(k/2)</c> → (1+α²)<sup>k/2</sup>, <c>Σ_(i>k)</c>, <c>ρ^(T−t)</c>.</item>
/// <item>Otherwise the run right after the mark: a run of digits (<c>s_10</c>), else the letters of the same case
/// as the first one (<c>σ_θ</c>, <c>h_t</c>, <c>D_KL</c>, <c>λ_min</c>; <c>W_lR_l</c> is W<sub>l</sub>R<sub>l</sub>;
/// <c>P_F(U)</c> is P<sub>F</sub>(U)); combining marks stay with their letter.</item>
/// <item>An underscore stays literal where it reads as part of an identifier: when the letters and digits right
/// before it are more than two characters long or all digits (<c>max_steps</c>, <c>learning_rate</c>,
/// <c>1_000</c>), when the run after it is longer than three letters (<c>x_train</c>, <c>n_iter</c>), or when
/// nothing follows it. <c>^</c> followed by a space or nothing stays literal. <c>\_</c> and <c>\^</c> write the
/// character itself (as an HTML entity, so a second pass leaves it alone: the function is idempotent).</item>
/// <item>Text inside HTML tags (<c>&lt;sub&gt;</c>, <c>&lt;b&gt;</c>, <c>&lt;a href=…&gt;</c>) is left as is.</item>
/// </list>
/// </summary>
internal static class ChartText
{
    /// <summary>Longest identifier-like word before an underscore that still reads as a symbol (σ, W1, lr).</summary>
    private const int MaxBaseLength = 2;

    /// <summary>Longest bare subscript word (KL, min, max, tot); longer ones read as an identifier (x_train).</summary>
    private const int MaxBareScriptLength = 3;

    /// <summary>Lines of at most <paramref name="maxChars"/> visible characters (tags do not count), broken at
    /// spaces outside tags; a word longer than a line stays whole. The text is one line when it fits.</summary>
    internal static List<string> Wrap(string markup, int maxChars)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        int depth = 0;
        foreach (var c in markup)
        {
            if (c == '<') depth++;
            if (c == '>' && depth > 0) depth--;
            if (c == ' ' && depth == 0) { words.Add(word.ToString()); word.Clear(); }
            else word.Append(c);
        }
        words.Add(word.ToString());
        static int Visible(string s)
        {
            int n = 0, d = 0;
            foreach (var c in s)
            {
                if (c == '<') d++;
                else if (c == '>' && d > 0) d--;
                else if (d == 0) n++;
            }
            return n;
        }
        var lines = new List<string>();
        var line = new StringBuilder();
        int length = 0;
        foreach (var w in words)
        {
            int v = Visible(w);
            if (line.Length > 0 && length + 1 + v > maxChars)
            {
                lines.Add(line.ToString());
                line.Clear();
                length = 0;
            }
            if (line.Length > 0) { line.Append(' '); length++; }
            line.Append(w);
            length += v;
        }
        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>The text with its sub- and superscripts as plotly.js tags; null stays null.</summary>
    internal static string? Markup(string? text)
    {
        if (string.IsNullOrEmpty(text) || (text.IndexOf('_') < 0 && text.IndexOf('^') < 0))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '<' && TagEnd(text, i) is int tagEnd)
            {
                sb.Append(text, i, tagEnd - i + 1);
                i = tagEnd + 1;
                continue;
            }
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '_' or '^')
            {
                sb.Append(text[i + 1] == '_' ? "&#95;" : "&#94;");
                i += 2;
                continue;
            }
            if (c is '_' or '^' && Script(text, i) is var (body, next))
            {
                string tag = c == '_' ? "sub" : "sup";
                sb.Append('<').Append(tag).Append('>').Append(Markup(body)).Append("</").Append(tag).Append('>');
                i = next;
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    /// <summary>The script body after the mark at <paramref name="at"/> and the index after it; null when literal.</summary>
    private static (string Body, int Next)? Script(string text, int at)
    {
        int start = at + 1;
        if (start >= text.Length)
        {
            return null;
        }
        char open = text[start];
        if (open is '{' or '(')
        {
            char close = open == '{' ? '}' : ')';
            int depth = 0;
            for (int j = start; j < text.Length; j++)
            {
                if (text[j] == open)
                {
                    depth++;
                }
                else if (text[j] == close && --depth == 0)
                {
                    return j == start + 1 ? null : (text[(start + 1)..j], j + 1);
                }
            }
            return null; // unbalanced: leave it as typed
        }
        if (text[at] == '_' && !SymbolBase(text, at))
        {
            return null;
        }
        int end = start;
        if (text[at] == '^' && open is '−' or '-' or '+' && start + 1 < text.Length && IsWordChar(text[start + 1]))
        {
            end++; // a sign before the exponent: x^−1, e^-t
            open = text[end];
        }
        if (char.IsDigit(open))
        {
            while (end < text.Length && char.IsDigit(text[end]))
            {
                end++;
            }
        }
        else if (char.IsLetter(open) && IsWordChar(open))
        {
            bool upper = char.IsUpper(open), lower = char.IsLower(open);
            int first = end;
            end++;
            SkipMarks(text, ref end);
            while (end < text.Length && (upper || lower) && IsWordChar(text[end])
                && (upper ? char.IsUpper(text[end]) : char.IsLower(text[end])))
            {
                end++;
                SkipMarks(text, ref end);
            }
            if (text[at] == '_' && Letters(text, first, end) > MaxBareScriptLength)
            {
                return null;
            }
        }
        else if (text[at] == '^' && open is '*' or '†' or '⊤' or '′')
        {
            end++; // one symbol: x^*, A^†
        }
        else
        {
            return null;
        }
        return (text[start..end], end);
    }

    /// <summary>Whether the word before the underscore at <paramref name="at"/> reads as a symbol (σ, W1, ᵀW).</summary>
    private static bool SymbolBase(string text, int at)
    {
        int j = at;
        while (j > 0 && (IsWordChar(text[j - 1]) || IsMark(text[j - 1])))
        {
            j--;
        }
        var word = text[j..at];
        if (word.Length == 0)
        {
            return at > 0 && !char.IsWhiteSpace(text[at - 1]) && text[at - 1] != '_'; // ‖·‖_F, )_i, ]_x
        }
        return Letters(text, j, at) <= MaxBaseLength && !word.All(char.IsDigit);
    }

    /// <summary>A letter or digit of a word; modifier letters (ᵀ, ᵏ) and super/subscript digits (², ₀) end a word.</summary>
    private static bool IsWordChar(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber;

    private static int Letters(string text, int from, int to)
    {
        int n = 0;
        for (int k = from; k < to; k++)
        {
            if (!IsMark(text[k]))
            {
                n++;
            }
        }
        return n;
    }

    private static void SkipMarks(string text, ref int end)
    {
        while (end < text.Length && IsMark(text[end]))
        {
            end++;
        }
    }

    /// <summary>Combining marks (W̄, x̂) and primes belong to the letter before them.</summary>
    private static bool IsMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.SpacingCombiningMark || c is '′' or '″' or '*';

    /// <summary>The index of the '>' closing an HTML tag that starts at <paramref name="at"/>, or null.</summary>
    private static int? TagEnd(string text, int at)
    {
        if (at + 1 >= text.Length || !(char.IsAsciiLetter(text[at + 1]) || text[at + 1] == '/'))
        {
            return null;
        }
        int close = text.IndexOf('>', at + 1), reopen = text.IndexOf('<', at + 1);
        return close > 0 && (reopen < 0 || close < reopen) ? close : null;
    }

    /// <summary>The text without tags (for an HTML document title or a plain-text summary).</summary>
    internal static string? Plain(string? text) =>
        text is null ? null : System.Text.RegularExpressions.Regex.Replace(Markup(text)!, "<[^<>]*>", "")
            .Replace("&#95;", "_", StringComparison.Ordinal).Replace("&#94;", "^", StringComparison.Ordinal);
}
