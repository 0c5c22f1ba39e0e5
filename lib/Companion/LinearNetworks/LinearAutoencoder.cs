using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// The linear autoencoder f_{A,B}(x) = A B x with encoder B (k×d) and decoder A (d×k), and its exact loss and gradients
/// for a second-moment matrix Σ (d×d, symmetric PSD):
/// <code>
/// L(A, B) = E‖ABx − x‖² + R(A, B) = tr((I − AB) Σ (I − AB)ᵀ) + R(A, B)
///         = tr Σ − 2 tr(AB Σ) + tr(Bᵀ AᵀA B Σ) + R(A, B)
/// ∂L/∂A = −2 (I − AB) Σ Bᵀ + ∂R/∂A          (d×k)
/// ∂L/∂B = −2 Aᵀ (I − AB) Σ + ∂R/∂B          (k×d)
/// </code>
/// with R an <see cref="AutoencoderPenalty"/>. Σ may be a population covariance (homework 000_1ccdba2d613922a2,
/// Question 1: L₁, and L₂ with the uniform penalty), the mean second moment XXᵀ/n of a data matrix X (d×n, samples as
/// columns, see <see cref="SecondMoment"/>), or the plain XXᵀ, which makes L the Frobenius loss ‖X − ABX‖²_F of
/// 003_867968e659a4077d, Question 3(b) (there W₁ = B, W₂ = A, m = d). Baldi &amp; Hornik 1989 ("Neural networks and
/// principal component analysis: learning from examples without local minima"): for distinct eigenvalues every
/// minimiser of the unpenalised loss has AB = U_k U_kᵀ, and the minimum is the Eckart–Young value Σ_{i&gt;k} sᵢ.
/// </summary>
public static class LinearAutoencoder
{
    /// <summary>Σ = X Xᵀ / n, the mean second moment of the n columns of X (d×n). XXᵀ itself gives ‖X − ABX‖²_F.</summary>
    /// <param name="X">Data matrix, d×n, one sample per column (assumed centred, as in the homework).</param>
    public static Matrix<double> SecondMoment(Matrix<double> X)
    {
        if (X.ColumnCount == 0 || X.RowCount == 0)
        {
            throw new ArgumentException($"The data matrix must be d×n with d, n ≥ 1 but is {X.RowCount}×{X.ColumnCount}.", nameof(X));
        }

        return X * X.Transpose() / X.ColumnCount;
    }

    /// <summary>L(A, B) = tr((I − AB) Σ (I − AB)ᵀ) + R(A, B).</summary>
    /// <param name="Sigma">Second moment Σ, d×d symmetric PSD.</param>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    /// <param name="penalty">R (default none: the reconstruction loss L₁ alone).</param>
    public static double Loss(Matrix<double> Sigma, Matrix<double> A, Matrix<double> B, AutoencoderPenalty? penalty = null)
    {
        CheckShapes(Sigma, A, B);
        var e = Residual(A, B);
        double rec = (e * Sigma * e.Transpose()).Trace();
        return penalty is null || penalty.IsZero ? rec : rec + penalty.Value(A, B);
    }

    /// <summary>The reconstruction error on data, ‖X − ABX‖²_F, computed sample by sample (no Σ): the definition, independent of the trace form.</summary>
    /// <param name="X">Data, d×n.</param>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    public static double LossOnData(Matrix<double> X, Matrix<double> A, Matrix<double> B)
    {
        if (A.RowCount != X.RowCount || B.ColumnCount != X.RowCount || A.ColumnCount != B.RowCount)
        {
            throw new ArgumentException($"Shapes do not fit: X is {X.RowCount}×{X.ColumnCount}, A is {A.RowCount}×{A.ColumnCount} (need d×k), B is {B.RowCount}×{B.ColumnCount} (need k×d).");
        }

        double sum = 0;
        for (int j = 0; j < X.ColumnCount; j++)
        {
            var x = X.Column(j);
            var r = (A * (B * x)) - x;
            sum += r.DotProduct(r);
        }

        return sum;
    }

    /// <summary>(∂L/∂A, ∂L/∂B) = (−2(I − AB)ΣBᵀ + ∂R/∂A, −2Aᵀ(I − AB)Σ + ∂R/∂B), shapes d×k and k×d.</summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    /// <param name="penalty">R (default none).</param>
    public static (Matrix<double> GradA, Matrix<double> GradB) Gradient(
        Matrix<double> Sigma, Matrix<double> A, Matrix<double> B, AutoencoderPenalty? penalty = null)
    {
        CheckShapes(Sigma, A, B);
        var eSigma = Residual(A, B) * Sigma; // (I − AB)Σ, d×d
        var gA = -2 * eSigma * B.Transpose();
        var gB = -2 * A.Transpose() * eSigma;
        if (penalty is null || penalty.IsZero)
        {
            return (gA, gB);
        }

        var (rA, rB) = penalty.Gradient(A, B);
        return (gA + rA, gB + rB);
    }

    /// <summary>
    /// An upper bound on the curvature (largest Hessian eigenvalue) of L at (A, B), from which a stable gradient-descent
    /// step η &lt; 2/bound is chosen. With E = I − AB, the second derivative along (δA, δB), ‖δA‖²_F + ‖δB‖²_F = 1, is
    /// 2 tr((δA B + A δB) Σ (·)ᵀ) − 4 tr(E Σ (δA δB)ᵀ) + 2 Σᵢ λᵢ(‖δaᵢ‖² + ‖δbᵢ‖²)
    /// ≤ 2 s₁ (‖A‖₂² + ‖B‖₂²) + 2 s₁ (1 + ‖A‖₂‖B‖₂) + 2 maxᵢ λᵢ,
    /// with ‖·‖₂ the spectral norm and s₁ = λ_max(Σ). From N(0, 1) entries ‖A‖₂ ≈ √d + √k, so the bound grows like d·s₁:
    /// a step that is fine near the origin (bound ≈ 2 s₁) diverges there.
    /// </summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    /// <param name="penalty">R (default none).</param>
    public static double CurvatureBound(Matrix<double> Sigma, Matrix<double> A, Matrix<double> B, AutoencoderPenalty? penalty = null)
    {
        CheckShapes(Sigma, A, B);
        double s1 = Sigma.L2Norm();
        double a = A.L2Norm(), b = B.L2Norm();
        double r = penalty is null ? 0 : penalty.MaxWeight(A.ColumnCount);
        return (2 * s1 * ((a * a) + (b * b))) + (2 * s1 * (1 + (a * b))) + (2 * r);
    }

    /// <summary>
    /// A minimiser of L with a per-unit (or uniform) penalty λ₁ ≤ … ≤ λ_k: A* = U_k D, B* = D U_kᵀ with
    /// D = diag(√max(0, 1 − λᵢ/sᵢ)). Each mode i contributes sᵢ(1 − aᵢ²)² + 2λᵢaᵢ² at its singular value aᵢ, minimised at
    /// aᵢ² = 1 − λᵢ/sᵢ; the minimum is Σ_{i≤k} (2λᵢ − λᵢ²/sᵢ) (sᵢ for a dead unit, λᵢ ≥ sᵢ) + Σ_{i&gt;k} sᵢ.
    /// With no penalty this is (U_k, U_kᵀ). Uniform λ: one point of the O(k) orbit (A*O, OᵀB*) of minimisers
    /// (Kunin, Bloom, Goeva &amp; Seed 2019, "Loss landscapes of regularized linear autoencoders", ICML). Distinct λᵢ:
    /// the unique minimiser up to column signs (Bao et al. 2020, Theorem 1), for distinct sᵢ &gt; λᵢ.
    /// </summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="k">Code size.</param>
    /// <param name="penalty">R with non-decreasing weights (default none).</param>
    /// <returns>A* (d×k), B* (k×d) and L(A*, B*) from the closed form.</returns>
    public static (Matrix<double> A, Matrix<double> B, double Loss) Optimum(Matrix<double> Sigma, int k, AutoencoderPenalty? penalty = null)
    {
        var pcs = PrincipalSubspace.Of(Sigma);
        var lambda = (penalty ?? AutoencoderPenalty.None).Weights(k);
        for (int i = 1; i < k; i++)
        {
            if (lambda[i] < lambda[i - 1])
            {
                throw new ArgumentException($"The closed form needs non-decreasing λᵢ (smallest penalty on the top component) but λ = [{string.Join(", ", lambda)}].", nameof(penalty));
            }
        }

        var d = new double[k];
        double loss = pcs.OptimalLoss(k);
        for (int i = 0; i < k; i++)
        {
            double s = pcs.Eigenvalues[i];
            if (s > lambda[i])
            {
                d[i] = Math.Sqrt(1 - (lambda[i] / s));
                loss += (2 * lambda[i]) - (lambda[i] * lambda[i] / s);
            }
            else
            {
                loss += s;
            }
        }

        var a = pcs.Uk(k) * Matrix<double>.Build.DenseOfDiagonalArray(d);
        return (a, a.Transpose(), loss);
    }

    /// <summary>I − AB, d×d.</summary>
    public static Matrix<double> Residual(Matrix<double> A, Matrix<double> B) =>
        Matrix<double>.Build.DenseIdentity(A.RowCount) - (A * B);

    internal static void CheckSigma(Matrix<double> Sigma)
    {
        if (Sigma.RowCount != Sigma.ColumnCount || Sigma.RowCount == 0)
        {
            throw new ArgumentException($"Σ must be square d×d but is {Sigma.RowCount}×{Sigma.ColumnCount}.", nameof(Sigma));
        }

        if (Sigma.Enumerate().Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("Σ has a non-finite entry.", nameof(Sigma));
        }

        double norm = Sigma.FrobeniusNorm();
        if ((Sigma - Sigma.Transpose()).FrobeniusNorm() > PrincipalSubspace.SymmetryTolerance * Math.Max(norm, 1e-300))
        {
            throw new ArgumentException("Σ must be symmetric (a covariance or second moment).", nameof(Sigma));
        }
    }

    private static void CheckShapes(Matrix<double> Sigma, Matrix<double> A, Matrix<double> B)
    {
        int d = Sigma.RowCount;
        if (Sigma.ColumnCount != d || A.RowCount != d || B.ColumnCount != d || A.ColumnCount != B.RowCount)
        {
            throw new ArgumentException(
                $"Shapes do not fit: Σ is {Sigma.RowCount}×{Sigma.ColumnCount} (need d×d), A is {A.RowCount}×{A.ColumnCount} (need d×k), B is {B.RowCount}×{B.ColumnCount} (need k×d).");
        }
    }
}
