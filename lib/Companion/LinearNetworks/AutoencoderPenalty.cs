using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// A weight penalty on a linear autoencoder's latent units: R(A, B) = Σᵢ λᵢ (‖aᵢ‖² + ‖bᵢ‖²), with aᵢ column i of the
/// decoder A (d×k) and bᵢ row i of the encoder B (k×d); equivalently R = ‖A Λ^½‖²_F + ‖Λ^½ B‖²_F with Λ = diag(λ).
/// Gradients ∂R/∂A = 2 A Λ, ∂R/∂B = 2 Λ B.
/// <list type="bullet">
/// <item><see cref="None"/>: L₁ of homework 000_1ccdba2d613922a2, Question 1 (parts 1–3).</item>
/// <item><see cref="Uniform"/>: λ(‖A‖²_F + ‖B‖²_F), L₂ of Question 1 part 4 (and 003_867968e659a4077d, Question 8).</item>
/// <item><see cref="PerUnit"/>: distinct λ₁ &lt; … &lt; λ_k, the non-uniform penalty of Question 1 part 5, after Bao, Lucas,
/// Sachdeva &amp; Grosse 2020, "Regularized linear autoencoders recover the principal components, eventually" (NeurIPS).</item>
/// </list>
/// </summary>
public sealed class AutoencoderPenalty
{
    private readonly double uniform;
    private readonly double[]? perUnit;

    private AutoencoderPenalty(double uniform, double[]? perUnit)
    {
        this.uniform = uniform;
        this.perUnit = perUnit;
    }

    /// <summary>No penalty (R = 0).</summary>
    public static AutoencoderPenalty None { get; } = new(0, null);

    /// <summary>λ(‖A‖²_F + ‖B‖²_F) for any code size k.</summary>
    /// <exception cref="ArgumentException">λ is negative or not finite.</exception>
    public static AutoencoderPenalty Uniform(double lambda)
    {
        if (!(lambda >= 0) || !double.IsFinite(lambda))
        {
            throw new ArgumentException($"λ must be a finite number ≥ 0 but is {lambda}.", nameof(lambda));
        }

        return new AutoencoderPenalty(lambda, null);
    }

    /// <summary>Σᵢ λᵢ(‖aᵢ‖² + ‖bᵢ‖²) with one λᵢ per latent unit (k of them).</summary>
    /// <exception cref="ArgumentException">No λ, or one is negative or not finite.</exception>
    public static AutoencoderPenalty PerUnit(params double[] lambdas)
    {
        if (lambdas.Length == 0 || lambdas.Any(l => !(l >= 0) || !double.IsFinite(l)))
        {
            throw new ArgumentException($"Need one finite λᵢ ≥ 0 per latent unit but got [{string.Join(", ", lambdas)}].", nameof(lambdas));
        }

        return new AutoencoderPenalty(0, (double[])lambdas.Clone());
    }

    /// <summary>True for <see cref="None"/> or a zero uniform λ.</summary>
    public bool IsZero => perUnit is null ? uniform == 0 : perUnit.All(l => l == 0);

    /// <summary>λ₁, …, λ_k for a code of size k.</summary>
    /// <exception cref="ArgumentException">A per-unit penalty with a different number of units.</exception>
    public double[] Weights(int k)
    {
        if (perUnit is null)
        {
            return Enumerable.Repeat(uniform, k).ToArray();
        }

        if (perUnit.Length != k)
        {
            throw new ArgumentException($"The penalty has {perUnit.Length} per-unit weights but the code has k = {k} units.", nameof(k));
        }

        return (double[])perUnit.Clone();
    }

    /// <summary>R(A, B) = Σᵢ λᵢ (‖aᵢ‖² + ‖bᵢ‖²).</summary>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    public double Value(Matrix<double> A, Matrix<double> B)
    {
        var l = Weights(A.ColumnCount);
        double r = 0;
        for (int i = 0; i < l.Length; i++)
        {
            r += l[i] * (A.Column(i).DotProduct(A.Column(i)) + B.Row(i).DotProduct(B.Row(i)));
        }

        return r;
    }

    /// <summary>(∂R/∂A, ∂R/∂B) = (2 A Λ, 2 Λ B).</summary>
    /// <param name="A">Decoder, d×k.</param>
    /// <param name="B">Encoder, k×d.</param>
    public (Matrix<double> GradA, Matrix<double> GradB) Gradient(Matrix<double> A, Matrix<double> B)
    {
        var lambda = Matrix<double>.Build.DenseOfDiagonalArray(Weights(A.ColumnCount));
        return (2 * A * lambda, 2 * lambda * B);
    }

    /// <summary>The largest λᵢ (0 for none).</summary>
    public double MaxWeight(int k) => k == 0 ? 0 : Weights(k).Max();

    /// <inheritdoc/>
    public override string ToString() =>
        perUnit is null ? (uniform == 0 ? "none" : $"λ = {uniform:G4}") : $"λ = [{string.Join(", ", perUnit.Select(l => l.ToString("G4")))}]";
}
