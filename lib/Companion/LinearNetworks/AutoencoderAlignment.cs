using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// Where a trained linear autoencoder sits relative to the principal components (homework 000_1ccdba2d613922a2,
/// Question 1 parts 2–5). Every minimiser of L₁ is A = U_k G, B = G⁻¹U_kᵀ for some invertible G (k×k); this class
/// reads G off A, decomposes it, and predicts it from the initialisation.
/// </summary>
public static class AutoencoderAlignment
{
    /// <summary>G = U_kᵀ A (k×k): the decoder in the principal basis (A = U_k G exactly when A's columns lie in span U_k).</summary>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="Uk">Top-k eigenvectors, d×k.</param>
    public static Matrix<double> CodeBasis(Matrix<double> A, Matrix<double> Uk) => Uk.Transpose() * A;

    /// <summary>
    /// Polar decomposition G = O P (O orthogonal, P = (GᵀG)^½ symmetric PSD) of a 2×2 G, read as the angle θ of O
    /// (O = rotation by θ, times diag(1, −1) when det G &lt; 0) and the singular values σ₁ ≥ σ₂ of G.
    /// </summary>
    /// <returns>θ in (−π, π], det(O) = ±1, and (σ₁, σ₂).</returns>
    public static (double Angle, int Orientation, double Sigma1, double Sigma2) Polar2(Matrix<double> G)
    {
        if (G.RowCount != 2 || G.ColumnCount != 2)
        {
            throw new ArgumentException($"Polar2 takes a 2×2 matrix but got {G.RowCount}×{G.ColumnCount}.", nameof(G));
        }

        var svd = G.Svd();
        var o = svd.U * svd.VT; // the orthogonal polar factor
        int orientation = o.Determinant() >= 0 ? 1 : -1;
        return (Math.Atan2(o[1, 0], o[0, 0]), orientation, svd.S[0], svd.S[1]);
    }

    /// <summary>|cos ∠(aᵢ, uᵢ)| for each column i of A against the i-th principal direction: 1 for every i when A = U_k D.</summary>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="Uk">Top-k eigenvectors, d×k.</param>
    public static double[] ColumnAlignment(Matrix<double> A, Matrix<double> Uk) =>
        Enumerable.Range(0, A.ColumnCount).Select(i =>
        {
            double n = A.Column(i).L2Norm();
            return n == 0 ? 0 : Math.Abs(A.Column(i).DotProduct(Uk.Column(i))) / n;
        }).ToArray();

    /// <summary>
    /// The Gram matrix GᵀG = AᵀA of the minimiser that unpenalised gradient flow reaches, predicted from the
    /// initialisation alone: the flow conserves C = AᵀA − BBᵀ, and at a minimiser AᵀA = GᵀG, BBᵀ = (GᵀG)⁻¹, so
    /// M = GᵀG solves M − M⁻¹ = C, i.e. M = (C + (C² + 4I)^½)/2 (same eigenvectors as C, eigenvalues (c + √(c² + 4))/2).
    /// </summary>
    /// <param name="A0">Initial decoder, d×k.</param>
    /// <param name="B0">Initial encoder, k×d.</param>
    public static Matrix<double> PredictedGram(Matrix<double> A0, Matrix<double> B0)
    {
        var c = (A0.Transpose() * A0) - (B0 * B0.Transpose());
        c = (c + c.Transpose()) / 2;
        var evd = c.Evd(Symmetricity.Symmetric);
        var mu = evd.EigenValues.Select(z => (z.Real + Math.Sqrt((z.Real * z.Real) + 4)) / 2).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DenseOfDiagonalArray(mu) * evd.EigenVectors.Transpose();
    }

    /// <summary>The first record at which every column's alignment reaches <paramref name="threshold"/> and stays there to the end; −1 if never.</summary>
    /// <param name="trajectory">A run.</param>
    /// <param name="Uk">Top-k eigenvectors, d×k.</param>
    /// <param name="threshold">e.g. 0.99.</param>
    public static int RecoveryRecord(LinearAutoencoderTrajectory trajectory, Matrix<double> Uk, double threshold)
    {
        int first = -1;
        for (int i = 0; i < trajectory.A.Length; i++)
        {
            bool ok = ColumnAlignment(trajectory.A[i], Uk).Min() >= threshold;
            if (ok && first < 0)
            {
                first = i;
            }
            else if (!ok)
            {
                first = -1;
            }
        }

        return first;
    }
}
