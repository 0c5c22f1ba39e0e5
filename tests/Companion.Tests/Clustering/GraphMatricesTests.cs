using Companion.Clustering;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Clustering;

/// <summary>RBF adjacency, degree, D^{-1/2} A D^{-1/2} and the column-stochastic matrix, against the formulas entry by
/// entry and against their spectral facts.</summary>
public class GraphMatricesTests
{
    private const double Tolerance = 1e-12;
    private const double SpectrumTolerance = 1e-10;

    private static readonly LabelledPoints Points = ThreeClusterSet.Make(90, 4);

    [Fact]
    public void Adjacency_is_the_rbf_formula_symmetric_with_unit_diagonal_and_psd()
    {
        var x = Points.X;
        var a = RbfAdjacency.Compute(x, 7.5);
        for (int i = 0; i < x.RowCount; i += 7)
        {
            for (int j = 0; j < x.RowCount; j += 5)
            {
                double d2 = Math.Pow(x[i, 0] - x[j, 0], 2) + Math.Pow(x[i, 1] - x[j, 1], 2);
                Assert.Equal(Math.Exp(-7.5 * d2), a[i, j], Tolerance);
            }
        }
        Assert.True((a - a.Transpose()).InfinityNorm() == 0, "undirected graph: A = Aᵀ");
        Assert.All(a.Diagonal().ToArray(), v => Assert.Equal(1.0, v));
        double minEigen = a.Evd(Symmetricity.Symmetric).EigenValues.Min(c => c.Real);
        Assert.True(minEigen > -SpectrumTolerance, $"Gaussian kernel matrix is PSD, min eigenvalue {minEigen}");
    }

    [Fact]
    public void Degree_matrix_holds_the_row_sums()
    {
        var a = RbfAdjacency.Compute(Points.X);
        var d = GraphMatrices.Degree(a);
        var ones = Vector<double>.Build.Dense(a.RowCount, 1.0);
        Assert.True((d * ones - a * ones).InfinityNorm() < Tolerance * a.RowCount);
        Assert.True((d - Matrix<double>.Build.DiagonalOfDiagonalVector(d.Diagonal())).FrobeniusNorm() == 0);
    }

    [Fact]
    public void Normalised_adjacency_has_eigenvalue_one_at_sqrt_degrees_and_spectrum_in_unit_interval()
    {
        var a = RbfAdjacency.Compute(Points.X);
        var m = GraphMatrices.SymmetricNormalised(a);
        var dHalfInv = Matrix<double>.Build.DiagonalOfDiagonalArray(GraphMatrices.Degrees(a).Select(v => 1 / Math.Sqrt(v)).ToArray());
        Assert.True((m - dHalfInv * a * dHalfInv).FrobeniusNorm() < Tolerance * a.RowCount);
        var s = Vector<double>.Build.Dense(GraphMatrices.Degrees(a).Select(Math.Sqrt).ToArray());
        Assert.True((m * s - s).L2Norm() < SpectrumTolerance * s.L2Norm());
        var ev = m.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
        Assert.InRange(ev.Max(), 1 - SpectrumTolerance, 1 + SpectrumTolerance);
        Assert.True(ev.Min() >= -1 - SpectrumTolerance);
    }

    [Fact]
    public void Stochastic_matrix_has_unit_column_sums_and_is_m_times_inverse_column_sums()
    {
        var m = GraphMatrices.SymmetricNormalised(RbfAdjacency.Compute(Points.X));
        var ms = GraphMatrices.ColumnStochastic(m);
        Assert.All(ms.ColumnSums().ToArray(), v => Assert.Equal(1.0, v, Tolerance));
        var cInv = Matrix<double>.Build.DiagonalOfDiagonalVector(m.ColumnSums().Map(v => 1 / v));
        Assert.True((ms - m * cInv).FrobeniusNorm() < Tolerance * m.RowCount);
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RbfAdjacency.Compute(Points.X, 0));
        var e = Assert.Throws<ArgumentException>(() => GraphMatrices.SymmetricNormalised(Matrix<double>.Build.Dense(2, 2)));
        Assert.Contains("vertex 0 has degree 0", e.Message);
    }
}
