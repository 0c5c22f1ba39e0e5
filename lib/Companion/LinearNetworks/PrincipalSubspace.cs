using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// The spectral decomposition Σ = U S Uᵀ of a symmetric positive semi-definite second-moment matrix, eigenvalues in
/// decreasing order, and what PCA reads off it (homework 000_1ccdba2d613922a2, Question 1; 003_867968e659a4077d,
/// Question 3(b)): U_k (top-k eigenvectors), the projector U_k U_kᵀ, and the Eckart–Young–Mirsky value
/// min over rank-k P of tr((I − P) Σ (I − P)ᵀ) = Σ_{i&gt;k} sᵢ.
/// </summary>
/// <param name="Eigenvalues">s₁ ≥ s₂ ≥ … ≥ s_d ≥ 0 (tiny negative round-off is clipped to 0).</param>
/// <param name="U">Orthonormal eigenvectors, d×d, column i belongs to sᵢ; each column's sign is fixed so its entry of largest magnitude is positive.</param>
public sealed record PrincipalSubspace(double[] Eigenvalues, Matrix<double> U)
{
    /// <summary>Relative tolerance for Σ's symmetry, ‖Σ − Σᵀ‖_F ≤ tol·‖Σ‖_F.</summary>
    public const double SymmetryTolerance = 1e-10;

    /// <summary>Dimension d.</summary>
    public int Dimension => Eigenvalues.Length;

    /// <summary>Decomposes Σ (d×d, symmetric PSD; e.g. <see cref="LinearAutoencoder.SecondMoment"/> of a data matrix).</summary>
    /// <exception cref="ArgumentException">Σ is not square, not finite, not symmetric, or has a clearly negative eigenvalue.</exception>
    public static PrincipalSubspace Of(Matrix<double> Sigma)
    {
        LinearAutoencoder.CheckSigma(Sigma);
        var evd = Sigma.Evd(Symmetricity.Symmetric);
        int d = Sigma.RowCount;
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        double scale = Math.Max(1, Math.Abs(evd.EigenValues[order[0]].Real));
        var s = new double[d];
        var u = Matrix<double>.Build.Dense(d, d);
        for (int j = 0; j < d; j++)
        {
            double v = evd.EigenValues[order[j]].Real;
            if (v < -1e-9 * scale)
            {
                throw new ArgumentException($"Σ must be positive semi-definite but has eigenvalue {v:G6}.", nameof(Sigma));
            }

            s[j] = Math.Max(0, v);
            var col = evd.EigenVectors.Column(order[j]);
            int big = col.AbsoluteMaximumIndex();
            u.SetColumn(j, col[big] < 0 ? -col : col);
        }

        return new PrincipalSubspace(s, u);
    }

    /// <summary>U_k, the first k columns of U (d×k).</summary>
    public Matrix<double> Uk(int k)
    {
        CheckK(k);
        return U.SubMatrix(0, Dimension, 0, k);
    }

    /// <summary>The projector U_k U_kᵀ onto the top-k principal subspace (d×d).</summary>
    public Matrix<double> Projector(int k) => Uk(k) * Uk(k).Transpose();

    /// <summary>The Eckart–Young–Mirsky value Σ_{i&gt;k} sᵢ: the smallest L₁ of any linear autoencoder with a k-dimensional code.</summary>
    public double OptimalLoss(int k)
    {
        CheckK(k);
        return Eigenvalues.Skip(k).Sum();
    }

    /// <summary>Smallest relative gap (sᵢ − sᵢ₊₁)/s₁ among the first k+1 eigenvalues: the top-k subspace (and each uᵢ, i ≤ k) is unique when it is positive.</summary>
    public double RelativeGap(int k)
    {
        CheckK(k);
        int last = Math.Min(k, Dimension - 1);
        double gap = double.PositiveInfinity;
        for (int i = 0; i < last; i++)
        {
            gap = Math.Min(gap, (Eigenvalues[i] - Eigenvalues[i + 1]) / Eigenvalues[0]);
        }

        return gap;
    }

    private void CheckK(int k)
    {
        if (k < 1 || k > Dimension)
        {
            throw new ArgumentException($"The code size k must be in 1..{Dimension} but is {k}.", nameof(k));
        }
    }
}
