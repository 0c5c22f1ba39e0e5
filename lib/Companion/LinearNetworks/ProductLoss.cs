using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// The training loss of a linear network as a function of the end-to-end product W̄ (CS189 HW7, seed
/// <c>004_88812e8faecb25b2.txt</c>, Question 2(b)–(d)): Q(W̄) = ½‖W̄Xᵀ − Yᵀ‖²_F, where the rows of X (n×d) are the
/// inputs xᵢ and the rows of Y (n×p) the targets yᵢ. Q is a convex quadratic in W̄: its gradient is
/// ∂Q/∂W̄ = (W̄Xᵀ − Yᵀ)X = W̄XᵀX − YᵀX and its Hessian in vec(W̄) (column stacking) is XᵀX ⊗ I_p ⪰ 0.
/// </summary>
public static class ProductLoss
{
    /// <summary>Q(W̄) = ½‖W̄Xᵀ − Yᵀ‖²_F = ½ Σᵢ ‖W̄xᵢ − yᵢ‖².</summary>
    /// <param name="wBar">W̄, p×d.</param>
    /// <param name="x">X, n×d (rows are inputs).</param>
    /// <param name="y">Y, n×p (rows are targets).</param>
    public static double Q(Matrix<double> wBar, Matrix<double> x, Matrix<double> y)
    {
        CheckShapes(wBar, x, y);
        var e = wBar * x.Transpose() - y.Transpose();
        double f = e.FrobeniusNorm();
        return 0.5 * f * f;
    }

    /// <summary>∂Q/∂W̄ = W̄XᵀX − YᵀX (p×d), Question 2(c): the message E = W̄Xᵀ − Yᵀ sent back through F = W̄Xᵀ gives E·X.</summary>
    public static Matrix<double> Gradient(Matrix<double> wBar, Matrix<double> x, Matrix<double> y)
    {
        CheckShapes(wBar, x, y);
        return wBar * x.TransposeThisAndMultiply(x) - y.TransposeThisAndMultiply(x);
    }

    /// <summary>
    /// The Hessian of Q in vec(W̄) (column-stacking, length pd): H = XᵀX ⊗ I_p (pd×pd), positive semi-definite since
    /// vᵀHv = ‖V Xᵀ‖²_F ≥ 0 for v = vec(V). Q is therefore convex (Question 2(b)).
    /// </summary>
    /// <param name="x">X, n×d.</param>
    /// <param name="p">Output dimension p.</param>
    public static Matrix<double> Hessian(Matrix<double> x, int p)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (p < 1)
        {
            throw new ArgumentException($"ProductLoss.Hessian: p must be ≥ 1 but is {p}", nameof(p));
        }
        return x.TransposeThisAndMultiply(x).KroneckerProduct(Matrix<double>.Build.DenseIdentity(p));
    }

    /// <summary>
    /// A global minimiser of Q: the minimum-norm solution of the normal equations W̄XᵀX = YᵀX, W̄ = YᵀX (XᵀX)⁺
    /// (computed as Yᵀ(X⁺)ᵀ with the SVD pseudo-inverse, so rank-deficient X is allowed).
    /// </summary>
    public static Matrix<double> Minimiser(Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount != y.RowCount)
        {
            throw new ArgumentException($"ProductLoss.Minimiser: X has {x.RowCount} rows but Y has {y.RowCount}", nameof(y));
        }
        return y.TransposeThisAndMultiply(x.PseudoInverse().Transpose());
    }

    /// <summary>
    /// The smallest Q over W̄ of rank ≤ r (reduced-rank regression; the global minimum of R̂ when minᵢ dᵢ = r):
    /// Q(W̄) = Q* + ½‖X(W̄ − W*)ᵀ‖²_F with W* = <see cref="Minimiser"/>, so the best rank-r W̄ keeps the top r singular
    /// directions of the fitted values Ŷ = X W*ᵀ (n×p): W̄_r = V_r V_rᵀ W*, and min Q = Q* + ½Σ_{i&gt;r} σᵢ(Ŷ)².
    /// </summary>
    /// <returns>The minimiser W̄_r (p×d) and min Q.</returns>
    public static (Matrix<double> WBar, double Q) ReducedRankMinimum(Matrix<double> x, Matrix<double> y, int r)
    {
        var wStar = Minimiser(x, y);
        if (r < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(r), $"ProductLoss.ReducedRankMinimum: r must be ≥ 0 but is {r}");
        }
        var fitted = x * wStar.Transpose();                   // Ŷ, n×p
        var svd = fitted.Svd(computeVectors: true);
        var vr = svd.VT.SubMatrix(0, Math.Min(r, svd.VT.RowCount), 0, svd.VT.ColumnCount);   // r×p
        var wr = (vr.TransposeThisAndMultiply(vr) * wStar);   // V_r V_rᵀ W*, p×d
        return (wr, Q(wr, x, y));
    }

    /// <summary>‖W̄XᵀX − YᵀX‖_F: how far W̄ is from satisfying the normal equations (0 exactly at a global minimiser).</summary>
    public static double NormalEquationResidual(Matrix<double> wBar, Matrix<double> x, Matrix<double> y) =>
        Gradient(wBar, x, y).FrobeniusNorm();

    private static void CheckShapes(Matrix<double> wBar, Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(wBar);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount != y.RowCount)
        {
            throw new ArgumentException($"ProductLoss: X has {x.RowCount} rows (samples) but Y has {y.RowCount}", nameof(y));
        }
        if (wBar.ColumnCount != x.ColumnCount || wBar.RowCount != y.ColumnCount)
        {
            throw new ArgumentException(
                $"ProductLoss: W̄ is {wBar.RowCount}×{wBar.ColumnCount} but must be p×d = {y.ColumnCount}×{x.ColumnCount}",
                nameof(wBar));
        }
    }
}
