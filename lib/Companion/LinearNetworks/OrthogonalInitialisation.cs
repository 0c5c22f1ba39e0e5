using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// The orthogonal initialisation of homework 000_1ccdba2d613922a2, Question 2, eq. (3): orthogonal R₁ … R_{L+1}
/// (R_l of size D_{l−1}) with R_{l+1}ᵀ W_l R_l = D_l diagonal (rectangular D_l×D_{l−1}), R₁ = V and R_{L+1} = U where
/// YXᵀ = U S Vᵀ. (The homework writes YXᵀ = UΣV; with R₁ = V its V is our Vᵀ.) Part 2: gradient flow keeps
/// R_{l+1}ᵀ W_l(t) R_l diagonal, because Ẇ_l is then R_{l+1} (diagonal) R_lᵀ.
/// </summary>
public static class OrthogonalInitialisation
{
    /// <summary>W_l = R_{l+1} D_l R_lᵀ with D_l the rectangular diagonal of <paramref name="diagonals"/>[l−1].</summary>
    /// <param name="R">R₁ … R_{L+1}, orthogonal; R[l] is D_l×D_l (R[0] is D₀×D₀).</param>
    /// <param name="diagonals">d^l_j for each layer, at most min(D_l, D_{l−1}) values each (the rest are 0).</param>
    public static Matrix<double>[] Build(IReadOnlyList<Matrix<double>> R, IReadOnlyList<double[]> diagonals)
    {
        if (R.Count != diagonals.Count + 1)
        {
            throw new ArgumentException($"A depth-L network needs L + 1 bases R and L diagonals but got {R.Count} and {diagonals.Count}.");
        }

        var w = new Matrix<double>[diagonals.Count];
        for (int l = 0; l < diagonals.Count; l++)
        {
            int rows = R[l + 1].RowCount, cols = R[l].RowCount;
            if (diagonals[l].Length > Math.Min(rows, cols))
            {
                throw new ArgumentException($"Layer {l + 1} is {rows}×{cols} and holds at most {Math.Min(rows, cols)} diagonal values but got {diagonals[l].Length}.", nameof(diagonals));
            }

            var d = Matrix<double>.Build.Dense(rows, cols);
            for (int j = 0; j < diagonals[l].Length; j++)
            {
                d[j, j] = diagonals[l][j];
            }

            w[l] = R[l + 1] * d * R[l].Transpose();
        }

        return w;
    }

    /// <summary>Bases R₁ = V, R_{L+1} = U and seeded random orthogonal hidden bases R₂ … R_L (sizes D₁ … D_{L−1}).</summary>
    /// <param name="V">R₁, D₀×D₀.</param>
    /// <param name="U">R_{L+1}, D_L×D_L.</param>
    /// <param name="hiddenSizes">D₁ … D_{L−1} (empty for depth 1).</param>
    /// <param name="seed">Seed of the hidden bases.</param>
    public static Matrix<double>[] Bases(Matrix<double> V, Matrix<double> U, IReadOnlyList<int> hiddenSizes, int seed)
    {
        var rng = new Random(seed);
        var r = new List<Matrix<double>> { V };
        foreach (int size in hiddenSizes)
        {
            r.Add(Matrix<double>.Build.Dense(size, size, (_, _) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1)).QR().Q);
        }

        r.Add(U);
        return [.. r];
    }

    /// <summary>R_{l+1}ᵀ W_l R_l for every layer: diagonal under the orthogonality condition (4).</summary>
    public static Matrix<double>[] InBases(IReadOnlyList<Matrix<double>> W, IReadOnlyList<Matrix<double>> R) =>
        W.Select((w, l) => R[l + 1].Transpose() * w * R[l]).ToArray();

    /// <summary>The largest |off-diagonal entry| of R_{l+1}ᵀ W_l R_l over all layers (0 exactly under condition (4)).</summary>
    public static double MaxOffDiagonal(IReadOnlyList<Matrix<double>> W, IReadOnlyList<Matrix<double>> R) =>
        InBases(W, R).Max(OffDiagonal);

    /// <summary>The largest |off-diagonal entry| of a (rectangular) matrix.</summary>
    public static double OffDiagonal(Matrix<double> m)
    {
        double max = 0;
        for (int i = 0; i < m.RowCount; i++)
        {
            for (int j = 0; j < m.ColumnCount; j++)
            {
                if (i != j)
                {
                    max = Math.Max(max, Math.Abs(m[i, j]));
                }
            }
        }

        return max;
    }
}
