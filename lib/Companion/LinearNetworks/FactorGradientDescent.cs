using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>One recorded gradient-descent run of a linear network.</summary>
/// <param name="Factors">The final factors W_1, …, W_L.</param>
/// <param name="Step">Recorded iteration numbers.</param>
/// <param name="Loss">R̂ at each recorded iteration.</param>
/// <param name="Residual">‖W̄XᵀX − YᵀX‖_F at each recorded iteration (normal equations).</param>
public sealed record LinearNetworkRun(Matrix<double>[] Factors, double[] Step, double[] Loss, double[] Residual);

/// <summary>
/// Plain gradient descent on the factors, Wᵢ ← Wᵢ − η ∂R̂/∂Wᵢ (all layers from the same point), CS189 HW7 Question
/// 2(d)(f): the trained factors are checked against the normal equations and the rank condition.
/// </summary>
public static class FactorGradientDescent
{
    /// <summary>Runs <paramref name="steps"/> full-batch steps of size η from <paramref name="initial"/>.</summary>
    /// <param name="initial">W_1, …, W_L (not modified).</param>
    /// <param name="x">X, n×d.</param>
    /// <param name="y">Y, n×p.</param>
    /// <param name="eta">Step size η &gt; 0.</param>
    /// <param name="steps">Number of steps ≥ 0.</param>
    /// <param name="recordEvery">Record loss and residual every this many steps (and at the end).</param>
    /// <exception cref="ArgumentException">η ≤ 0, steps &lt; 0, recordEvery &lt; 1, or the loss became non-finite (η too large).</exception>
    public static LinearNetworkRun Train(IReadOnlyList<Matrix<double>> initial, Matrix<double> x, Matrix<double> y,
        double eta, int steps, int recordEvery = 1)
    {
        if (!(eta > 0) || steps < 0 || recordEvery < 1)
        {
            throw new ArgumentException($"FactorGradientDescent.Train: need η > 0, steps ≥ 0, recordEvery ≥ 1; got η = {eta}, steps = {steps}, recordEvery = {recordEvery}");
        }
        var w = initial.Select(m => m.Clone()).ToArray();
        var step = new List<double>();
        var loss = new List<double>();
        var residual = new List<double>();
        void Record(int t)
        {
            double l = LinearNetwork.Loss(w, x, y);
            if (!double.IsFinite(l))
            {
                throw new ArgumentException($"FactorGradientDescent.Train: the loss is {l} at step {t}; η = {eta} is too large for this data", nameof(eta));
            }
            step.Add(t);
            loss.Add(l);
            residual.Add(ProductLoss.NormalEquationResidual(LinearNetwork.Product(w), x, y));
        }
        Record(0);
        for (int t = 1; t <= steps; t++)
        {
            var g = LinearNetwork.LayerGradients(w, x, y);
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= eta * g[i];
            }
            if (t % recordEvery == 0 || t == steps)
            {
                Record(t);
            }
        }
        return new LinearNetworkRun(w, step.ToArray(), loss.ToArray(), residual.ToArray());
    }
}
