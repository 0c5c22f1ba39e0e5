using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// An L-layer linear network f(x) = W_L ⋯ W_1 x with factors Wᵢ ∈ ℝ^{dᵢ×dᵢ₋₁}, d₀ = d, d_L = p (CS189 HW7, seed
/// <c>004_88812e8faecb25b2.txt</c>, Question 2). Its training loss R̂(W_{1:L}) = ½Σᵢ‖W̄xᵢ − yᵢ‖² = Q(W̄) depends on the
/// factors only through the product W̄ = W_L ⋯ W_1, and its per-layer gradient (Question 2(e)) is
/// ∂R̂/∂Wᵢ = W̄_{(L:i+1)}ᵀ (W̄XᵀX − YᵀX) W̄_{(i−1:1)}ᵀ. Factors are passed as a list [W_1, …, W_L].
/// </summary>
public static class LinearNetwork
{
    /// <summary>The layer widths d₀, …, d_L of a list of factors, checking that consecutive factors chain.</summary>
    /// <exception cref="ArgumentException">Empty list, or Wᵢ₊₁ has a column count other than Wᵢ's row count.</exception>
    public static int[] Widths(IReadOnlyList<Matrix<double>> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Count == 0)
        {
            throw new ArgumentException("LinearNetwork: factors is empty; pass W_1, …, W_L with L ≥ 1", nameof(factors));
        }
        var widths = new int[factors.Count + 1];
        widths[0] = factors[0].ColumnCount;
        for (int i = 0; i < factors.Count; i++)
        {
            if (factors[i].ColumnCount != widths[i])
            {
                throw new ArgumentException(
                    $"LinearNetwork: W_{i + 1} is {factors[i].RowCount}×{factors[i].ColumnCount} but must have {widths[i]} columns " +
                    $"(the rows of W_{i})", nameof(factors));
            }
            widths[i + 1] = factors[i].RowCount;
        }
        return widths;
    }

    /// <summary>
    /// The partial product W̄_{(j:i)} = W_j ⋯ W_i (1-based, i ≤ j); the identity of size dᵢ₋₁ when j = i − 1
    /// (the empty product, as in the homework's W̄_{(0:1)} and W̄_{(L:L+1)}).
    /// </summary>
    public static Matrix<double> PartialProduct(IReadOnlyList<Matrix<double>> factors, int j, int i)
    {
        var widths = Widths(factors);
        if (i < 1 || j > factors.Count || j < i - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(j), $"LinearNetwork.PartialProduct: need 1 ≤ i ≤ j + 1 ≤ L + 1, got j = {j}, i = {i}, L = {factors.Count}");
        }
        var m = Matrix<double>.Build.DenseIdentity(widths[i - 1]);
        for (int k = i; k <= j; k++)
        {
            m = factors[k - 1] * m;
        }
        return m;
    }

    /// <summary>W̄ = W_L ⋯ W_1 (p×d).</summary>
    public static Matrix<double> Product(IReadOnlyList<Matrix<double>> factors) => PartialProduct(factors, factors.Count, 1);

    /// <summary>R̂(W_{1:L}) = ½ Σᵢ ‖W_L ⋯ W_1 xᵢ − yᵢ‖², evaluated layer by layer on the data (not through Q).</summary>
    /// <param name="x">X, n×d.</param>
    /// <param name="y">Y, n×p.</param>
    public static double Loss(IReadOnlyList<Matrix<double>> factors, Matrix<double> x, Matrix<double> y)
    {
        Widths(factors);
        var h = x.Transpose();                 // (d, n)
        foreach (var w in factors)
        {
            h = w * h;                         // (dᵢ, n)
        }
        var e = h - y.Transpose();             // (p, n)
        double f = e.FrobeniusNorm();
        return 0.5 * f * f;
    }

    /// <summary>
    /// The per-layer gradients ∂R̂/∂Wᵢ = W̄_{(L:i+1)}ᵀ (W̄XᵀX − YᵀX) W̄_{(i−1:1)}ᵀ, i = 1..L (Question 2(e)), each of
    /// the shape of Wᵢ.
    /// </summary>
    public static Matrix<double>[] LayerGradients(IReadOnlyList<Matrix<double>> factors, Matrix<double> x, Matrix<double> y)
    {
        int l = factors.Count;
        var z = ProductLoss.Gradient(Product(factors), x, y);     // message at W̄, p×d
        var grads = new Matrix<double>[l];
        for (int i = 1; i <= l; i++)
        {
            grads[i - 1] = PartialProduct(factors, l, i + 1).TransposeThisAndMultiply(z)
                * PartialProduct(factors, i - 1, 1).Transpose();
        }
        return grads;
    }

    /// <summary>Σᵢ ‖∂R̂/∂Wᵢ‖²_F, the squared norm of the whole gradient (0 exactly at a critical point).</summary>
    public static double GradientNormSquared(IReadOnlyList<Matrix<double>> factors, Matrix<double> x, Matrix<double> y) =>
        LayerGradients(factors, x, y).Sum(g => g.FrobeniusNorm() * g.FrobeniusNorm());

    /// <summary>Random factors with i.i.d. N(0, scale²) entries for the widths d₀, …, d_L.</summary>
    public static Matrix<double>[] RandomFactors(IReadOnlyList<int> widths, double scale, int seed)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2 || widths.Any(w => w < 1))
        {
            throw new ArgumentException($"LinearNetwork.RandomFactors: need at least two widths, all ≥ 1; got [{string.Join(", ", widths)}]", nameof(widths));
        }
        var rng = new Random(seed);
        var normal = new Normal(0, scale, rng);
        return Enumerable.Range(1, widths.Count - 1)
            .Select(i => Matrix<double>.Build.Random(widths[i], widths[i - 1], normal)).ToArray();
    }

    /// <summary>The factors flattened into one vector, W_1 first, each column-major (vec).</summary>
    public static Vector<double> Flatten(IReadOnlyList<Matrix<double>> factors) =>
        Vector<double>.Build.DenseOfEnumerable(factors.SelectMany(w => w.ToColumnMajorArray()));

    /// <summary>The inverse of <see cref="Flatten"/> for the widths d₀, …, d_L.</summary>
    public static Matrix<double>[] Unflatten(Vector<double> theta, IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(theta);
        int expected = Enumerable.Range(1, widths.Count - 1).Sum(i => widths[i] * widths[i - 1]);
        if (theta.Count != expected)
        {
            throw new ArgumentException($"LinearNetwork.Unflatten: θ has {theta.Count} entries but the widths need {expected}", nameof(theta));
        }
        var result = new Matrix<double>[widths.Count - 1];
        int offset = 0;
        for (int i = 1; i < widths.Count; i++)
        {
            int size = widths[i] * widths[i - 1];
            result[i - 1] = Matrix<double>.Build.DenseOfColumnMajor(widths[i], widths[i - 1], theta.SubVector(offset, size).ToArray());
            offset += size;
        }
        return result;
    }
}
