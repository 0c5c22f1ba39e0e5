using Companion.LinearNetworks;
using Companion.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class ProductLossTests
{
    private const double Identity = 1e-9;
    private const double FiniteDifferenceStep = 1e-5;
    private const double GradientRelativeTolerance = 1e-7;
    private const double EigenTolerance = 1e-9;

    private static readonly (Matrix<double> X, Matrix<double> Y) Data = LinearNetworkData.Sample(20, 4, 3, seed: 1);

    [Fact]
    public void Q_is_half_the_sum_of_squared_residuals_over_samples()
    {
        var (x, y) = Data;
        var w = Matrix<double>.Build.Random(3, 4, new Normal(0, 1, new Random(2)));
        double sum = 0;
        for (int i = 0; i < x.RowCount; i++)
        {
            var r = w * x.Row(i) - y.Row(i);
            sum += 0.5 * r.DotProduct(r);
        }
        Assert.Equal(sum, ProductLoss.Q(w, x, y), Identity * sum);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var (x, y) = Data;
        var w = Matrix<double>.Build.Random(3, 4, new Normal(0, 1, new Random(3)));
        var fd = FiniteDifference.Gradient(m => ProductLoss.Q(m, x, y), w, FiniteDifferenceStep);
        Assert.True(FiniteDifference.RelativeError(ProductLoss.Gradient(w, x, y), fd) < GradientRelativeTolerance);
    }

    [Fact]
    public void Hessian_is_the_Jacobian_of_the_gradient_and_positive_semidefinite()
    {
        var (x, y) = Data;
        var h = ProductLoss.Hessian(x, 3);
        var w = Matrix<double>.Build.Random(3, 4, new Normal(0, 1, new Random(4)));
        // Q is quadratic, so the gradient is affine in vec(W̄): ∇Q(W + E) − ∇Q(W) = H vec(E) exactly.
        var e = Matrix<double>.Build.Random(3, 4, new Normal(0, 1, new Random(5)));
        var delta = ProductLoss.Gradient(w + e, x, y) - ProductLoss.Gradient(w, x, y);
        var predicted = h * Vector<double>.Build.DenseOfArray(e.ToColumnMajorArray());
        Assert.True((Vector<double>.Build.DenseOfArray(delta.ToColumnMajorArray()) - predicted).L2Norm() < Identity * predicted.L2Norm());
        var eig = h.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Min();
        Assert.True(eig > -EigenTolerance, $"smallest Hessian eigenvalue {eig}");
    }

    [Fact]
    public void Midpoint_inequality_holds_on_random_segments()
    {
        var (x, y) = Data;
        var normal = new Normal(0, 2, new Random(6));
        for (int trial = 0; trial < 50; trial++)
        {
            var a = Matrix<double>.Build.Random(3, 4, normal);
            var b = Matrix<double>.Build.Random(3, 4, normal);
            double mid = ProductLoss.Q(0.5 * (a + b), x, y);
            double avg = 0.5 * (ProductLoss.Q(a, x, y) + ProductLoss.Q(b, x, y));
            // For a quadratic, avg − mid = ⅛‖(A − B)Xᵀ‖²_F exactly.
            double gap = (a - b).Multiply(x.Transpose()).FrobeniusNorm();
            Assert.Equal(gap * gap / 8, avg - mid, Identity * avg);
        }
    }

    [Fact]
    public void Minimiser_solves_the_normal_equations_and_matches_QR_least_squares()
    {
        var (x, y) = Data;
        var w = ProductLoss.Minimiser(x, y);
        Assert.True(ProductLoss.NormalEquationResidual(w, x, y) < Identity * y.FrobeniusNorm() * x.FrobeniusNorm());
        var qr = x.QR().Solve(y).Transpose();
        Assert.True((w - qr).FrobeniusNorm() < Identity * qr.FrobeniusNorm());
    }

    [Fact]
    public void Reduced_rank_minimum_has_rank_r_and_beats_random_rank_r_matrices_and_their_perturbations()
    {
        var (x, y) = Data;
        var (wr, qr) = ProductLoss.ReducedRankMinimum(x, y, 1);
        Assert.Equal(1, RankFactorisation.Rank(wr));
        Assert.Equal(ProductLoss.Q(wr, x, y), qr, Identity * qr);
        double qStar = ProductLoss.Q(ProductLoss.Minimiser(x, y), x, y);
        Assert.True(qr > qStar);
        Assert.Equal(qStar, ProductLoss.ReducedRankMinimum(x, y, 3).Q, Identity * qStar);
        // Rank-one matrices a bᵀ near the optimum (a, b perturbed) and random ones never do better.
        var svd = wr.Svd(computeVectors: true);
        var a = svd.S[0] * svd.U.Column(0);
        var b = svd.VT.Row(0);
        var normal = new Normal(0, 1, new Random(8));
        for (int trial = 0; trial < 200; trial++)
        {
            double scale = trial < 100 ? 1e-3 : 3;
            var pa = a + scale * Vector<double>.Build.Random(3, normal);
            var pb = b + scale * Vector<double>.Build.Random(4, normal);
            Assert.True(ProductLoss.Q(pa.OuterProduct(pb), x, y) >= qr - Identity * qr);
        }
    }

    [Fact]
    public void Shape_mismatch_names_the_shapes()
    {
        var (x, y) = Data;
        var ex = Assert.Throws<ArgumentException>(() => ProductLoss.Q(Matrix<double>.Build.Dense(2, 4), x, y));
        Assert.Contains("3×4", ex.Message);
    }
}
