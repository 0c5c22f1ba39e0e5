using MathNet.Numerics.LinearAlgebra;

namespace Companion.Numerics;

/// <summary>
/// Central finite differences, the independent reference against which closed-form gradients are checked
/// (used for homework 002_6d1f8bd69ec35d2c, Question 5): ∂f/∂Aᵢⱼ ≈ (f(A + h Eᵢⱼ) − f(A − h Eᵢⱼ)) / 2h, error O(h²).
/// </summary>
public static class FiniteDifference
{
    /// <summary>The gradient of a scalar function of a matrix, entry by entry (2·m·n evaluations).</summary>
    /// <param name="f">f: m×n matrix → ℝ.</param>
    /// <param name="at">The point A, m×n.</param>
    /// <param name="h">Step h &gt; 0.</param>
    /// <returns>∇f(A), m×n.</returns>
    public static Matrix<double> Gradient(Func<Matrix<double>, double> f, Matrix<double> at, double h = 1e-5)
    {
        if (!(h > 0))
        {
            throw new ArgumentException($"The step h must be positive but is {h}.", nameof(h));
        }

        var g = Matrix<double>.Build.Dense(at.RowCount, at.ColumnCount);
        for (int i = 0; i < at.RowCount; i++)
        {
            for (int j = 0; j < at.ColumnCount; j++)
            {
                var plus = at.Clone();
                var minus = at.Clone();
                plus[i, j] += h;
                minus[i, j] -= h;
                g[i, j] = (f(plus) - f(minus)) / (2 * h);
            }
        }

        return g;
    }

    /// <summary>‖A − B‖_F / ‖B‖_F: the relative error of A against the reference B (B ≠ 0).</summary>
    public static double RelativeError(Matrix<double> a, Matrix<double> reference) => (a - reference).FrobeniusNorm() / reference.FrobeniusNorm();
}
