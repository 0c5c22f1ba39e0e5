namespace Companion.Parity;

/// <summary>
/// Hand-set weights that make the network of <see cref="ParityNetwork"/> compute y = (−1)^{v*ᵀx} (CS189 HW7, seed
/// <c>004_88812e8faecb25b2.txt</c>, Question 3(a)). With s = v*ᵀx, the three units 3i+1, 3i+2, 3i+3 (1-based) with
/// wᵢ = v*, b = −(2i − ½), −2i, −(2i + ½) and α = 4, −8, 4 add the hat 4[s−2i+½]₊ − 8[s−2i]₊ + 4[s−2i−½]₊, which is 2 at
/// s = 2i and 0 at every other integer s; with β = −1 the network gives +1 at even s and −1 at odd s, provided there
/// is a hat for every even s ∈ {0, …, d}, i.e. i = 0, …, ⌊d/2⌋: that takes 3(⌊d/2⌋ + 1) units.
/// </summary>
public static class ParityConstruction
{
    /// <summary>
    /// The weights exactly as the homework writes them: wᵢ = v* for 1 ≤ i ≤ 3d/2 (read as i ≤ ⌊3d/2⌋ for odd d) and
    /// zero otherwise; b and α for 0 ≤ i ≤ d/2 (i ≤ ⌊d/2⌋); β = −1. The rule for b and α fills 3⌊d/2⌋ + 3 units, but only
    /// the first ⌊3d/2⌋ of them get wᵢ = v*, so the last hat (centred at s = 2⌊d/2⌋) is cut off.
    /// </summary>
    /// <param name="vStar">v* as a bit mask.</param>
    /// <param name="d">Input dimension.</param>
    /// <param name="k">Hidden width; the homework uses k = 10d. Must be ≥ 3⌊d/2⌋ + 3 so that every unit the rule names exists.</param>
    public static ParityNetwork AsWritten(int vStar, int d, int k) => Build(vStar, d, k, weightedUnits: 3 * d / 2);

    /// <summary>
    /// The smallest correction: wᵢ = v* for 1 ≤ i ≤ 3(⌊d/2⌋ + 1), every unit that the b/α rule fills (so the claim
    /// needs k ≥ 3⌊d/2⌋ + 3 rather than k ≥ 3d/2).
    /// </summary>
    public static ParityNetwork Corrected(int vStar, int d, int k) => Build(vStar, d, k, weightedUnits: 3 * (d / 2 + 1));

    /// <summary>The number of hidden units the homework's b/α rule fills: 3(⌊d/2⌋ + 1).</summary>
    public static int UnitsNeeded(int d) => 3 * (d / 2 + 1);

    /// <summary>
    /// A narrower exact construction with k = d units (shows that the capacity claim k ≥ 3d/2 itself holds): the
    /// piecewise-linear interpolant of (−1)^s through s = 0, 1, …, d, f = 1 − 2[s]₊ + Σ_{j=1}^{d−1} 4(−1)^{j+1}[s − j]₊,
    /// i.e. wⱼ = v*, bⱼ = −j, α₀ = −2, αⱼ = 4(−1)^{j+1}, β = 1.
    /// </summary>
    public static ParityNetwork Interpolating(int vStar, int d)
    {
        CheckMask(vStar, d);
        var w = new double[d, d];
        var b = new double[d];
        var alpha = new double[d];
        for (int j = 0; j < d; j++)
        {
            SetRow(w, j, vStar, d);
            b[j] = -j;
            alpha[j] = j == 0 ? -2 : 4 * ((j & 1) == 1 ? 1 : -1);
        }
        return new ParityNetwork(w, b, alpha, 1);
    }

    private static ParityNetwork Build(int vStar, int d, int k, int weightedUnits)
    {
        CheckMask(vStar, d);
        if (k < UnitsNeeded(d))
        {
            throw new ArgumentOutOfRangeException(nameof(k),
                $"ParityConstruction: the rule for b and α names units 1..{UnitsNeeded(d)} for d = {d}, so k must be ≥ {UnitsNeeded(d)} but is {k}");
        }
        var w = new double[k, d];
        var b = new double[k];
        var alpha = new double[k];
        for (int unit = 0; unit < Math.Min(weightedUnits, k); unit++)
        {
            SetRow(w, unit, vStar, d);
        }
        for (int i = 0; i <= d / 2; i++)
        {
            b[3 * i] = -(2 * i - 0.5);
            b[3 * i + 1] = -2 * i;
            b[3 * i + 2] = -(2 * i + 0.5);
            alpha[3 * i] = 4;
            alpha[3 * i + 1] = -8;
            alpha[3 * i + 2] = 4;
        }
        return new ParityNetwork(w, b, alpha, -1);
    }

    private static void SetRow(double[,] w, int row, int vStar, int d)
    {
        for (int j = 0; j < d; j++)
        {
            w[row, j] = (vStar >> j) & 1;
        }
    }

    private static void CheckMask(int vStar, int d)
    {
        ParityFunction.CubeSize(d, "ParityConstruction");
        if (vStar < 0 || vStar >= 1 << d)
        {
            throw new ArgumentOutOfRangeException(nameof(vStar), $"ParityConstruction: v* = {vStar} is not a mask of d = {d} bits");
        }
    }
}
