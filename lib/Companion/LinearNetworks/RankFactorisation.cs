using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// The capacity of a linear network (CS189 HW7, seed <c>004_88812e8faecb25b2.txt</c>, Question 2(a)): a p×d matrix W₀
/// is a product W_L ⋯ W_1 with Wᵢ ∈ ℝ^{dᵢ×dᵢ₋₁} if and only if rank W₀ ≤ d* = minᵢ dᵢ. "Only if":
/// rank(AB) ≤ min(rank A, rank B), so rank W̄ ≤ minᵢ dᵢ. "If": with the thin SVD W₀ = U_r Σ_r V_rᵀ (r = rank W₀ ≤ d*),
/// take W_1 = [Σ_r V_rᵀ; 0], Wᵢ = [I_r 0; 0 0] for 1 &lt; i &lt; L, W_L = [U_r 0]; the product is U_r Σ_r V_rᵀ = W₀
/// (the hint's block-identity case is U = I, Σ = I, V = I).
/// </summary>
public static class RankFactorisation
{
    /// <summary>Singular values below this fraction of the largest count as zero when the rank is taken.</summary>
    public const double RankTolerance = 1e-10;

    /// <summary>The numerical rank of W: the number of singular values above RankTolerance·σ_max.</summary>
    public static int Rank(Matrix<double> w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var s = w.Svd(computeVectors: false).S;
        if (s.Count == 0 || s[0] == 0)
        {
            return 0;
        }
        return s.Count(v => v > RankTolerance * s[0]);
    }

    /// <summary>
    /// Factors W_1, …, W_L of the widths d₀ = d, …, d_L = p whose product is W₀, built from the SVD as in the class
    /// summary.
    /// </summary>
    /// <param name="w0">W₀, p×d.</param>
    /// <param name="widths">d₀, …, d_L with d₀ = d and d_L = p.</param>
    /// <exception cref="ArgumentException">The widths do not start at d and end at p, or rank W₀ &gt; minᵢ dᵢ (then no
    /// factorisation exists; the message gives both numbers).</exception>
    public static Matrix<double>[] Factorise(Matrix<double> w0, IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(w0);
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2 || widths[0] != w0.ColumnCount || widths[^1] != w0.RowCount || widths.Any(v => v < 1))
        {
            throw new ArgumentException(
                $"RankFactorisation.Factorise: widths [{string.Join(", ", widths)}] must start at d = {w0.ColumnCount}, end at " +
                $"p = {w0.RowCount} and be ≥ 1", nameof(widths));
        }
        int r = Rank(w0), dStar = widths.Min();
        if (r > dStar)
        {
            throw new ArgumentException(
                $"RankFactorisation.Factorise: rank W₀ = {r} exceeds min dᵢ = {dStar}; no factors of these widths have W₀ as product " +
                "(rank(AB) ≤ min(rank A, rank B))", nameof(w0));
        }
        var svd = w0.Svd(computeVectors: true);
        var build = Matrix<double>.Build;
        int l = widths.Count - 1;
        var factors = new Matrix<double>[l];
        for (int i = 1; i <= l; i++)
        {
            var wi = build.Dense(widths[i], widths[i - 1]);
            for (int k = 0; k < r; k++)
            {
                if (l == 1)
                {
                    wi += svd.S[k] * svd.U.Column(k).OuterProduct(svd.VT.Row(k));
                }
                else if (i == 1)
                {
                    wi.SetRow(k, svd.S[k] * svd.VT.Row(k));       // Σ_r V_rᵀ in the first r rows
                }
                else if (i == l)
                {
                    wi.SetColumn(k, svd.U.Column(k));             // U_r in the first r columns
                }
                else
                {
                    wi[k, k] = 1;                                 // [I_r 0; 0 0]
                }
            }
            factors[i - 1] = wi;
        }
        return factors;
    }
}
