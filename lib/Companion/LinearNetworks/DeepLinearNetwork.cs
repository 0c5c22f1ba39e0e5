using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>A recorded gradient-flow run of a deep linear network.</summary>
/// <param name="T">Sample times, T[0] = 0.</param>
/// <param name="W">W[t][l] = W_{l+1}(T[t]) (layer 1 first), D_l×D_{l−1} each.</param>
/// <param name="Loss">𝓛(W(t)) of eq. (1).</param>
/// <param name="Solver">The integrator's work.</param>
public sealed record DeepLinearTrajectory(double[] T, Matrix<double>[][] W, double[] Loss, OdeSolution Solver)
{
    /// <summary>w_tot(t) = W_L ⋯ W_1 at each sample.</summary>
    public Matrix<double>[] Product() => W.Select(ws => DeepLinearNetwork.Product(ws)).ToArray();
}

/// <summary>
/// A depth-L linear network ŷ = W_L ⋯ W_1 x, W_l ∈ ℝ^{D_l×D_{l−1}}, trained on the mean squared loss of homework
/// 000_1ccdba2d613922a2, Question 2, eq. (1): 𝓛 = (1/N) Σᵢ ‖yᵢ − W_tot xᵢ‖² = (1/N) ‖Y − W_tot X‖²_F with X (D₀×N),
/// Y (D_L×N). Part 1: with G = ∂𝓛/∂W_tot = −(2/N)(Y − W_tot X)Xᵀ,
/// <code>
/// ∂𝓛/∂W_l = (W_L ⋯ W_{l+1})ᵀ G (W_{l−1} ⋯ W_1)ᵀ      (empty products are identities)
/// </code>
/// and with whitened inputs (XXᵀ = I) G = −(2/N)(YXᵀ − W_tot): the data enter only through YXᵀ.
/// The homework's y is a scalar (D_L = 1), which gives one mode; here D_L is general, as in Saxe, McClelland &amp;
/// Ganguli 2014 ("Exact solutions to the nonlinear dynamics of learning in deep linear neural networks", ICLR).
/// </summary>
public static class DeepLinearNetwork
{
    /// <summary>W_to ⋯ W_from (0-based layer indices, inclusive); the identity of size D_from when from &gt; to.</summary>
    /// <param name="W">Layers W_1 … W_L as W[0] … W[L−1].</param>
    /// <param name="from">First factor (rightmost), 0-based.</param>
    /// <param name="to">Last factor (leftmost), 0-based.</param>
    public static Matrix<double> Product(IReadOnlyList<Matrix<double>> W, int from, int to)
    {
        if (from > to)
        {
            int size = from < W.Count ? W[from].ColumnCount : W[^1].RowCount;
            return Matrix<double>.Build.DenseIdentity(size);
        }

        var p = W[from];
        for (int l = from + 1; l <= to; l++)
        {
            p = W[l] * p;
        }

        return p;
    }

    /// <summary>w_tot = W_L ⋯ W_1.</summary>
    public static Matrix<double> Product(IReadOnlyList<Matrix<double>> W) => Product(W, 0, W.Count - 1);

    /// <summary>𝓛 = (1/N) Σᵢ ‖yᵢ − W_tot xᵢ‖², eq. (1), summed sample by sample.</summary>
    /// <param name="X">Inputs, D₀×N.</param>
    /// <param name="Y">Targets, D_L×N.</param>
    /// <param name="W">Layers W_1 … W_L.</param>
    public static double Loss(Matrix<double> X, Matrix<double> Y, IReadOnlyList<Matrix<double>> W)
    {
        CheckShapes(X, Y, W);
        var wTot = Product(W);
        double sum = 0;
        for (int i = 0; i < X.ColumnCount; i++)
        {
            var r = Y.Column(i) - (wTot * X.Column(i));
            sum += r.DotProduct(r);
        }

        return sum / X.ColumnCount;
    }

    /// <summary>Part 1: ∂𝓛/∂W_l = (W_L ⋯ W_{l+1})ᵀ G (W_{l−1} ⋯ W_1)ᵀ, G = −(2/N)(Y − W_tot X)Xᵀ, for every layer.</summary>
    /// <param name="X">Inputs, D₀×N.</param>
    /// <param name="Y">Targets, D_L×N.</param>
    /// <param name="W">Layers W_1 … W_L.</param>
    /// <returns>The gradients, one per layer, shaped as the layers.</returns>
    public static Matrix<double>[] Gradient(Matrix<double> X, Matrix<double> Y, IReadOnlyList<Matrix<double>> W)
    {
        CheckShapes(X, Y, W);
        var g = -2.0 / X.ColumnCount * (Y - (Product(W) * X)) * X.Transpose();
        return GradientFromProductGradient(g, W);
    }

    /// <summary>The layer gradients (W_L ⋯ W_{l+1})ᵀ G (W_{l−1} ⋯ W_1)ᵀ for a given G = ∂𝓛/∂W_tot (D_L×D₀).</summary>
    public static Matrix<double>[] GradientFromProductGradient(Matrix<double> G, IReadOnlyList<Matrix<double>> W)
    {
        int L = W.Count;
        var grads = new Matrix<double>[L];
        for (int l = 0; l < L; l++)
        {
            grads[l] = Product(W, l + 1, L - 1).Transpose() * G * Product(W, 0, l - 1).Transpose();
        }

        return grads;
    }

    /// <summary>
    /// Gradient flow Ẇ_l = −η ∂𝓛/∂W_l, eq. (2), integrated with Dormand–Prince. With XXᵀ = I only YXᵀ matters, so the
    /// right-hand side uses G = −(2/N)(YXᵀ − W_tot) (the general G otherwise).
    /// </summary>
    /// <param name="X">Inputs, D₀×N.</param>
    /// <param name="Y">Targets, D_L×N.</param>
    /// <param name="W0">Initial layers.</param>
    /// <param name="eta">η &gt; 0 (the flow's time scale: η = N/2 makes it the mode equation (5)'s time).</param>
    /// <param name="times">Strictly increasing sample times &gt; 0.</param>
    /// <param name="options">Integrator tolerances (default rtol 1e-9, atol 1e-12).</param>
    public static DeepLinearTrajectory GradientFlow(
        Matrix<double> X, Matrix<double> Y, IReadOnlyList<Matrix<double>> W0, double eta, IReadOnlyList<double> times, OdeOptions? options = null)
    {
        CheckShapes(X, Y, W0);
        if (!(eta > 0) || times.Count == 0)
        {
            throw new ArgumentException($"Need η > 0 and at least one sample time but got η = {eta}, {times.Count} times.");
        }

        int n = X.ColumnCount;
        var yx = Y * X.Transpose();
        var xx = X * X.Transpose();
        var shapes = W0.Select(w => (w.RowCount, w.ColumnCount)).ToArray();
        Matrix<double>[] Unpack(double[] y)
        {
            var ws = new Matrix<double>[shapes.Length];
            int offset = 0;
            for (int l = 0; l < shapes.Length; l++)
            {
                int size = shapes[l].RowCount * shapes[l].ColumnCount;
                ws[l] = Matrix<double>.Build.DenseOfColumnMajor(shapes[l].RowCount, shapes[l].ColumnCount, y.AsSpan(offset, size).ToArray());
                offset += size;
            }

            return ws;
        }

        double[] Rhs(double t, double[] y)
        {
            var ws = Unpack(y);
            var g = -2.0 / n * (yx - (Product(ws) * xx));
            return GradientFromProductGradient(g, ws).SelectMany(m => (-eta * m).ToColumnMajorArray()).ToArray();
        }

        var sol = OdeIntegrator.DormandPrince(
            Rhs, W0.SelectMany(w => w.ToColumnMajorArray()).ToArray(), 0, times[^1], options ?? new OdeOptions(1e-9, 1e-12), times);
        var w = sol.Y.Select(Unpack).ToArray();
        return new DeepLinearTrajectory(sol.T, w, w.Select(ws => Loss(X, Y, ws)).ToArray(), sol);
    }

    /// <summary>
    /// Whitened inputs and planted targets: X (D₀×N) with XXᵀ = I exactly (orthonormal rows), and Y = M X with
    /// M = U diag(s) Vᵀ (D_L×D₀) for random orthogonal U, V, so that YXᵀ = M: its singular values are the given s.
    /// </summary>
    /// <param name="inputDim">D₀.</param>
    /// <param name="outputDim">D_L.</param>
    /// <param name="samples">N ≥ D₀.</param>
    /// <param name="s">Singular values of YXᵀ, at most min(D₀, D_L) of them (decreasing for the usual ordering).</param>
    /// <param name="seed">Seed.</param>
    /// <returns>X, Y, and U (D_L×D_L), V (D₀×D₀) with YXᵀ = U S Vᵀ.</returns>
    public static (Matrix<double> X, Matrix<double> Y, Matrix<double> U, Matrix<double> V) WhitenedData(
        int inputDim, int outputDim, int samples, double[] s, int seed)
    {
        if (samples < inputDim || s.Length > Math.Min(inputDim, outputDim) || inputDim < 1 || outputDim < 1)
        {
            throw new ArgumentException($"Need N ≥ D₀ and at most min(D₀, D_L) singular values but got D₀ = {inputDim}, D_L = {outputDim}, N = {samples}, {s.Length} values.");
        }

        var rng = new Random(seed);
        Matrix<double> Orthogonal(int rows, int cols) =>
            Matrix<double>.Build.Dense(rows, cols, (_, _) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1)).QR().Q.SubMatrix(0, rows, 0, cols);
        var x = Orthogonal(samples, inputDim).Transpose(); // D₀×N, XXᵀ = I
        var u = Orthogonal(outputDim, outputDim);
        var v = Orthogonal(inputDim, inputDim);
        var sm = Matrix<double>.Build.Dense(outputDim, inputDim);
        for (int i = 0; i < s.Length; i++)
        {
            sm[i, i] = s[i];
        }

        var m = u * sm * v.Transpose();
        return (x, m * x, u, v);
    }

    private static void CheckShapes(Matrix<double> X, Matrix<double> Y, IReadOnlyList<Matrix<double>> W)
    {
        if (W.Count == 0)
        {
            throw new ArgumentException("Need at least one layer.", nameof(W));
        }

        if (X.ColumnCount != Y.ColumnCount || X.ColumnCount == 0)
        {
            throw new ArgumentException($"X and Y must have the same number N ≥ 1 of columns (samples) but have {X.ColumnCount} and {Y.ColumnCount}.");
        }

        if (W[0].ColumnCount != X.RowCount)
        {
            throw new ArgumentException($"W_1 has {W[0].ColumnCount} columns but the inputs have D₀ = {X.RowCount} rows.", nameof(W));
        }

        for (int l = 1; l < W.Count; l++)
        {
            if (W[l].ColumnCount != W[l - 1].RowCount)
            {
                throw new ArgumentException($"W_{l + 1} has {W[l].ColumnCount} columns but W_{l} has {W[l - 1].RowCount} rows (D_{l}).", nameof(W));
            }
        }

        if (W[^1].RowCount != Y.RowCount)
        {
            throw new ArgumentException($"W_L has {W[^1].RowCount} rows but the targets have D_L = {Y.RowCount} rows.", nameof(W));
        }
    }
}
