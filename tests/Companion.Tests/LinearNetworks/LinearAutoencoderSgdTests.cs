using Companion.LinearNetworks;
using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

/// <summary>Per-sample SGD on objective (7) of EECS 182 HW7 Q8: the sample gradients average to the full gradient of
/// the library's closed-form loss, the objective matches finite differences, and a long decaying-step run lands on the
/// closed-form optimum's singular values √(1 − λ/σᵢ²).</summary>
public class LinearAutoencoderSgdTests
{
    private const double GradientTolerance = 1e-10;
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double SingularValueTolerance = 0.01;

    private static Matrix<double> Data(int d, int n, int seed)
    {
        var rng = new Random(seed);
        var q = Matrix<double>.Build.Random(d, d, seed).QR().Q;
        var z = Matrix<double>.Build.Dense(d, n, (i, j) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, Math.Sqrt(4.0 / (i + 1))));
        return q * z;
    }

    [Fact]
    public void Sample_gradients_average_to_the_gradient_of_objective_7()
    {
        var x = Data(5, 40, 1);
        var a = Matrix<double>.Build.Random(5, 2, 2);
        var b = Matrix<double>.Build.Random(2, 5, 3);
        const double lambda = 0.07;
        var mA = Matrix<double>.Build.Dense(5, 2);
        var mB = Matrix<double>.Build.Dense(2, 5);
        for (int i = 0; i < 40; i++)
        {
            var (gA, gB) = LinearAutoencoderSgd.SampleGradient(x.Column(i), a, b, lambda);
            mA += gA / 40;
            mB += gB / 40;
        }
        var sigma = LinearAutoencoder.SecondMoment(x);
        var (fA, fB) = LinearAutoencoder.Gradient(sigma, a, b, AutoencoderPenalty.Uniform(lambda));
        Assert.True(FiniteDifference.RelativeError(mA, fA) < GradientTolerance);
        Assert.True(FiniteDifference.RelativeError(mB, fB) < GradientTolerance);
        var dA = FiniteDifference.Gradient(A => LinearAutoencoderSgd.Objective(x, A, b, lambda), a);
        Assert.True(FiniteDifference.RelativeError(mA, dA) < FiniteDifferenceTolerance);
        Assert.Equal(LinearAutoencoder.Loss(sigma, a, b, AutoencoderPenalty.Uniform(lambda)),
            LinearAutoencoderSgd.Objective(x, a, b, lambda), 1e-10);
    }

    [Fact]
    public void Train_takes_the_sample_gradient_steps_in_a_seeded_order()
    {
        var x = Data(4, 10, 8);
        var a = Matrix<double>.Build.Random(4, 2, 9);
        var b = Matrix<double>.Build.Random(2, 4, 10);
        const double lambda = 0.05, eta = 0.01;
        var run = LinearAutoencoderSgd.Train(x, a, b, lambda, eta, epochs: 2, seed: 11);
        var order = Enumerable.Range(0, 10).ToArray();
        var rng = new Random(11);
        for (int e = 0; e < 2; e++)
        {
            rng.Shuffle(order);
            foreach (var i in order)
            {
                var (gA, gB) = LinearAutoencoderSgd.SampleGradient(x.Column(i), a, b, lambda);
                a -= eta * gA;
                b -= eta * gB;
            }
        }
        Assert.True((run.A - a).FrobeniusNorm() < GradientTolerance);
        Assert.True((run.B - b).FrobeniusNorm() < GradientTolerance);
        Assert.Equal(LinearAutoencoderSgd.Objective(x, a, b, lambda), run.Loss[^1], 1e-10);
    }

    [Fact]
    public void Decaying_step_sgd_reaches_the_closed_form_singular_values()
    {
        var x = Data(6, 80, 4);
        const double lambda = 0.1;
        var a0 = 0.2 * Matrix<double>.Build.Random(6, 2, 5);
        var b0 = 0.8 * Matrix<double>.Build.Random(2, 6, 6);
        var run = LinearAutoencoderSgd.Train(x, a0, b0, lambda, eta0: 0.01, epochs: 3000, seed: 7, decaySteps: 4000, recordEvery: 500);
        var opt = LinearAutoencoder.Optimum(LinearAutoencoder.SecondMoment(x), 2, AutoencoderPenalty.Uniform(lambda));
        var want = opt.A.Svd(false).S.ToArray();
        var got = run.DecoderSingularValues[^1];
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(got[i], want[i] - SingularValueTolerance, want[i] + SingularValueTolerance);
        }
        Assert.True(run.Loss[^1] <= opt.Loss * (1 + 1e-3), $"final loss {run.Loss[^1]} vs optimum {opt.Loss}");
        Assert.True(run.Loss[^1] >= opt.Loss - 1e-9, "no run can beat the closed-form minimum");
    }
}
