using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// Critical points of R̂(W_{1:L}) that are not global minima (CS189 HW7, seed <c>004_88812e8faecb25b2.txt</c>,
/// Question 2(e)). At W_1 = … = W_L = 0 with L ≥ 2 every layer gradient W̄_{(L:i+1)}ᵀ(…)W̄_{(i−1:1)}ᵀ contains a zero
/// factor, so the point is critical whatever the data, yet R̂(0) = ½‖Y‖²_F exceeds the minimum whenever YᵀX ≠ 0.
/// Along the direction D_{1:L} whose product is u₁v₁ᵀ (the top singular pair of YᵀX, singular value σ₁),
/// R̂(tD) = R̂(0) − σ₁tᴸ + ½t²ᴸ‖u₁v₁ᵀXᵀ‖²_F: for L = 2 this is a second-order descent direction (the Hessian has the
/// negative eigenvalue direction), for L ≥ 3 the Hessian at 0 vanishes and the descent is of order L.
/// </summary>
public static class CriticalPoints
{
    /// <summary>
    /// The Hessian of R̂ in the flattened factors θ (see <see cref="LinearNetwork.Flatten"/>), by central differences
    /// of the analytic gradient: H[:, j] ≈ (∇R̂(θ + h eⱼ) − ∇R̂(θ − h eⱼ)) / 2h, symmetrised.
    /// </summary>
    public static Matrix<double> Hessian(IReadOnlyList<Matrix<double>> factors, Matrix<double> x, Matrix<double> y, double h = 1e-5)
    {
        var widths = LinearNetwork.Widths(factors);
        var theta = LinearNetwork.Flatten(factors);
        int n = theta.Count;
        var hess = Matrix<double>.Build.Dense(n, n);
        Vector<double> Grad(Vector<double> t) =>
            LinearNetwork.Flatten(LinearNetwork.LayerGradients(LinearNetwork.Unflatten(t, widths), x, y));
        for (int j = 0; j < n; j++)
        {
            var plus = theta.Clone();
            var minus = theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            hess.SetColumn(j, (Grad(plus) - Grad(minus)) / (2 * h));
        }
        return 0.5 * (hess + hess.Transpose());
    }

    /// <summary>
    /// Factors D_1, …, D_L of the widths d₀..d_L whose product is u₁v₁ᵀ, the top singular pair of YᵀX (a rank-one
    /// matrix, so every width ≥ 1 allows it): D_1 = e₁v₁ᵀ, Dᵢ = e₁e₁ᵀ, D_L = u₁e₁ᵀ; for L = 1, D_1 = u₁v₁ᵀ.
    /// Returns also σ₁ = ⟨YᵀX, u₁v₁ᵀ⟩.
    /// </summary>
    public static (Matrix<double>[] Direction, double Sigma1) DescentDirectionAtZero(IReadOnlyList<int> widths,
        Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(widths);
        var yx = y.TransposeThisAndMultiply(x);                  // p×d
        var svd = yx.Svd(computeVectors: true);
        var target = svd.U.Column(0).OuterProduct(svd.VT.Row(0));
        return (RankFactorisation.Factorise(target, widths), svd.S[0]);
    }

    /// <summary>R̂(θ₀ + t·D) for each t, with θ₀ and D given as factor lists of the same widths.</summary>
    public static double[] LossAlong(IReadOnlyList<Matrix<double>> origin, IReadOnlyList<Matrix<double>> direction,
        IEnumerable<double> t, Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (origin.Count != direction.Count)
        {
            throw new ArgumentException($"CriticalPoints.LossAlong: origin has {origin.Count} factors but direction has {direction.Count}", nameof(direction));
        }
        return t.Select(s => LinearNetwork.Loss(origin.Zip(direction, (o, d) => o + s * d).ToArray(), x, y)).ToArray();
    }

    /// <summary>The closed form R̂(0) − σ₁tᴸ + ½t²ᴸ‖u₁v₁ᵀXᵀ‖²_F of the loss along <see cref="DescentDirectionAtZero"/>.</summary>
    public static double[] LossAlongClosedForm(int depth, Matrix<double> x, Matrix<double> y, IEnumerable<double> t)
    {
        var yx = y.TransposeThisAndMultiply(x);
        var svd = yx.Svd(computeVectors: true);
        var uv = svd.U.Column(0).OuterProduct(svd.VT.Row(0));
        double q0 = 0.5 * y.FrobeniusNorm() * y.FrobeniusNorm();
        double c = (uv * x.Transpose()).FrobeniusNorm();
        return t.Select(s => q0 - svd.S[0] * Math.Pow(s, depth) + 0.5 * Math.Pow(s, 2 * depth) * c * c).ToArray();
    }
}
