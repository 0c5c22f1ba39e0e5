using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// Measured memory and compute of amortised vs instance-wise inference for a <see cref="LinearGaussianModel"/>
/// (seed 002_6d1f8bd69ec35d2c, Question 1.3(b)(c)). Instance-wise inference is done the generic way, by gradient ascent
/// on each ELBO (<see cref="MeanFieldGaussian.FitByGradientAscent"/>), to the same gradient tolerance as the amortised fit
/// (<see cref="AmortisedEncoder.Fit"/>: closed-form c and ρ, L-BFGS on the rank-r mean map). Times are wall-clock
/// seconds on the machine that runs it, so they (and <see cref="BreakEvenDatapoints"/>) change with the machine and its
/// load; the counts of gradient evaluations do not.
/// </summary>
/// <param name="AmortisedParameters">|φ| = r(K + D) + 2K, whatever N.</param>
/// <param name="InstanceParameters">2K·N (a mean and a variance per latent per datapoint).</param>
/// <param name="AmortisedPerDatapointGradients">ELBO-and-gradient passes of the amortised fit × N.</param>
/// <param name="InstancePerDatapointGradients">Sum over the N datapoints of their gradient-ascent steps.</param>
/// <param name="AmortisedFitSeconds">Time to fit φ on the N datapoints.</param>
/// <param name="InstanceFitSeconds">Time to optimise all N q_i.</param>
/// <param name="StepsPerNewDatapoint">Mean gradient-ascent steps to infer one new datapoint instance-wise.</param>
/// <param name="OptimiseSecondsPerNewDatapoint">Mean time to infer one new datapoint instance-wise.</param>
/// <param name="EncodeSecondsPerNewDatapoint">Mean time of one encoder pass for a new datapoint.</param>
/// <param name="AmortisedFit">The amortised fit that was timed (encoder, tolerance, gradient norm reached).</param>
public sealed record InferenceCost(int AmortisedParameters, int InstanceParameters, long AmortisedPerDatapointGradients,
    long InstancePerDatapointGradients, double AmortisedFitSeconds, double InstanceFitSeconds, double StepsPerNewDatapoint,
    double OptimiseSecondsPerNewDatapoint, double EncodeSecondsPerNewDatapoint, EncoderFit AmortisedFit)
{
    /// <summary>The fitted encoder.</summary>
    public AmortisedEncoder Encoder => AmortisedFit.Encoder;

    /// <summary>Number of new datapoints after which amortised inference (fit + passes) is faster than optimising each.</summary>
    public double BreakEvenDatapoints => AmortisedFitSeconds / (OptimiseSecondsPerNewDatapoint - EncodeSecondsPerNewDatapoint);

    /// <summary>Fits both ways on X and infers every column of XNew both ways, timing each.</summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Training datapoints as columns, D×N.</param>
    /// <param name="XNew">New datapoints as columns, D×M.</param>
    /// <param name="r">Encoder rank.</param>
    /// <param name="maxIterations">Most L-BFGS iterations of the amortised fit.</param>
    /// <param name="seed">Seed of the encoder's initialisation.</param>
    /// <param name="tolerance">Gradient-norm tolerance of both fits.</param>
    public static InferenceCost Measure(LinearGaussianModel model, Matrix<double> X, Matrix<double> XNew, int r,
        int maxIterations = 1000, int seed = 0, double tolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckData(X);
        model.CheckData(XNew);
        var clock = Stopwatch.StartNew();
        var fit = AmortisedEncoder.Fit(model, X, r, maxIterations, seed, tolerance);
        var (encoder, passes) = (fit.Encoder, fit.GradientEvaluations);
        var amortisedFit = clock.Elapsed.TotalSeconds;

        clock.Restart();
        long instanceSteps = 0;
        for (var i = 0; i < X.ColumnCount; i++)
            instanceSteps += MeanFieldGaussian.FitByGradientAscent(model, X.Column(i), tolerance).Steps;
        var instanceFit = clock.Elapsed.TotalSeconds;

        var m = XNew.ColumnCount;
        clock.Restart();
        long newSteps = 0;
        for (var i = 0; i < m; i++)
            newSteps += MeanFieldGaussian.FitByGradientAscent(model, XNew.Column(i), tolerance).Steps;
        var optimisePerNew = clock.Elapsed.TotalSeconds / m;

        clock.Restart();
        for (var i = 0; i < m; i++)
            encoder.Encode(XNew.Column(i));
        var encodePerNew = clock.Elapsed.TotalSeconds / m;

        return new InferenceCost(encoder.ParameterCount, 2 * model.K * X.ColumnCount, (long)passes * X.ColumnCount,
            instanceSteps, amortisedFit, instanceFit, newSteps / (double)m, optimisePerNew, encodePerNew, fit);
    }
}
