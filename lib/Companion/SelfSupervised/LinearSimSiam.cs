using MathNet.Numerics.LinearAlgebra;

namespace Companion.SelfSupervised;

/// <summary>The three training set-ups of homework 002_6d1f8bd69ec35d2c, Question 5.</summary>
public enum SimSiamVariant
{
    /// <summary>SimSiam as published: predictor Wp and Stop-Grad on the target branch f₂.</summary>
    StopGradient,

    /// <summary>Question 5.3: predictor kept, Stop-Grad removed (gradient flows through f₂ too).</summary>
    NoStopGradient,

    /// <summary>Question 5.4: neither Stop-Grad nor predictor (Wp = I fixed).</summary>
    NoStopGradientNoPredictor,
}

/// <summary>
/// Two-layer linear SimSiam (homework 002_6d1f8bd69ec35d2c, Question 5; Chen &amp; He 2021 "Exploring simple Siamese
/// representation learning"; the analysis of Tian, Chen &amp; Ganguli 2021). Encoder W (n2×n1), predictor Wp (n2×n2),
/// f₁ = W x₁ (online), f₂ = W x₂ (target), augmentation statistics X, X′ (<see cref="AugmentationStatistics"/>):
/// <code>
/// J(W, Wp) = ½ E‖Wp f₁ − StopGrad(f₂)‖² = ½[tr(WpᵀWp F₁) − tr(Wp F₁₂) − tr(F₁₂ Wp) + tr(F₂)]     (5.1, eq. 3)
/// F₁ = F₂ = W(X + X′)Wᵀ,   F₁₂ = F₂₁ = W X Wᵀ
/// Ẇp = −∂J/∂Wp = −Wp F₁ + F₁₂ᵀ                                                                      (5.2)
/// Ẇ (Stop-Grad)    = Wpᵀ(−Wp W(X + X′) + W X)
/// Ẇ (no Stop-Grad) = −WpᵀWp W(X + X′) + (Wpᵀ + Wp) W X − W(X + X′),  vec(Ẇ) = −H vec(W)               (5.3)
/// H = X′ ⊗ (WpᵀWp + I) + X ⊗ (W̃pᵀW̃p),  W̃p = Wp − I
/// Ẇ (no Stop-Grad, no predictor: Wp = I) = −2 W X′,  H = X′ ⊗ 2I                                     (5.4)
/// </code>
/// vec stacks columns (MathNet's column-major storage), so vec(A W B) = (Bᵀ ⊗ A) vec(W).
/// </summary>
public static class LinearSimSiam
{
    /// <summary>F₁ = F₂ = E[f₁f₁ᵀ] = W(X + X′)Wᵀ, n2×n2.</summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static Matrix<double> F1(Matrix<double> W, AugmentationStatistics s) => W * (s.X + s.XPrime) * W.Transpose();

    /// <summary>F₁₂ = E[f₁f₂ᵀ] = W X Wᵀ, n2×n2.</summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static Matrix<double> F12(Matrix<double> W, AugmentationStatistics s) => W * s.X * W.Transpose();

    /// <summary>The objective of eq. (3), J(W, Wp) = ½[tr(WpᵀWp F₁) − tr(Wp F₁₂) − tr(F₁₂ Wp) + tr(F₂)].</summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2 (the identity for the no-predictor variant).</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static double J(Matrix<double> W, Matrix<double> Wp, AugmentationStatistics s)
    {
        Check(W, Wp, s);
        var f1 = F1(W, s);
        var f12 = F12(W, s);
        return 0.5 * ((Wp.Transpose() * Wp * f1).Trace() - (Wp * f12).Trace() - (f12 * Wp).Trace() + f1.Trace());
    }

    /// <summary>
    /// The definition, eq. (2), on a finite data set: J = ½ mean_k mean_{a,b} ‖Wp W xₖₐ − W xₖᵦ‖², the two views x₁, x₂
    /// drawn independently and uniformly among the m views of data point k (so a = b is allowed). Equals eq. (3) with
    /// X, X′ from <see cref="AugmentationStatistics.FromViews"/> of the same views.
    /// </summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2.</param>
    /// <param name="views">One n1×m matrix of augmented views per data point.</param>
    public static double JFromViews(Matrix<double> W, Matrix<double> Wp, IReadOnlyList<Matrix<double>> views)
    {
        if (views.Count == 0)
        {
            throw new ArgumentException("Need at least one data point.", nameof(views));
        }

        double total = 0;
        foreach (var v in views)
        {
            if (v.RowCount != W.ColumnCount)
            {
                throw new ArgumentException($"Views must have n1 = {W.ColumnCount} rows but one has {v.RowCount}.", nameof(views));
            }

            var online = Wp * W * v;  // n2×m: Wp f₁ for each view
            var target = W * v;       // n2×m: f₂ for each view
            double sum = 0;
            for (int a = 0; a < v.ColumnCount; a++)
            {
                for (int b = 0; b < v.ColumnCount; b++)
                {
                    sum += (online.Column(a) - target.Column(b)).DotProduct(online.Column(a) - target.Column(b));
                }
            }

            total += 0.5 * sum / (v.ColumnCount * v.ColumnCount);
        }

        return total / views.Count;
    }

    /// <summary>
    /// J with the target branch computed by a separate encoder, f₂ = W_target x₂: what Stop-Grad means, since
    /// ∂J/∂W at W_target = W (held fixed) is the Stop-Grad gradient.
    /// J = ½[tr(WpᵀWp W(X + X′)Wᵀ) − 2 tr(Wp W X W_targetᵀ) + tr(W_target(X + X′)W_targetᵀ)].
    /// </summary>
    /// <param name="W">Online encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2.</param>
    /// <param name="WTarget">Target encoder, n2×n1.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static double J(Matrix<double> W, Matrix<double> Wp, Matrix<double> WTarget, AugmentationStatistics s)
    {
        Check(W, Wp, s);
        Check(WTarget, Wp, s);
        var sum = s.X + s.XPrime;
        return 0.5 * ((Wp.Transpose() * Wp * W * sum * W.Transpose()).Trace()
            - (2 * (Wp * W * s.X * WTarget.Transpose()).Trace())
            + (WTarget * sum * WTarget.Transpose()).Trace());
    }

    /// <summary>Question 5.2: Ẇp = −∂J/∂Wp = −Wp F₁ + F₁₂ᵀ, n2×n2.</summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static Matrix<double> PredictorFlow(Matrix<double> W, Matrix<double> Wp, AugmentationStatistics s)
    {
        Check(W, Wp, s);
        return (-Wp * F1(W, s)) + F12(W, s).Transpose();
    }

    /// <summary>Ẇ = −∂J/∂W for the given variant (formulas in the class summary), n2×n1.</summary>
    /// <param name="variant">Stop-Grad, no Stop-Grad, or neither Stop-Grad nor predictor (then <paramref name="Wp"/> is ignored and I is used).</param>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static Matrix<double> EncoderFlow(SimSiamVariant variant, Matrix<double> W, Matrix<double> Wp, AugmentationStatistics s)
    {
        Check(W, Wp, s);
        var sum = s.X + s.XPrime;
        return variant switch
        {
            SimSiamVariant.StopGradient => Wp.Transpose() * ((-Wp * W * sum) + (W * s.X)),
            SimSiamVariant.NoStopGradient => (-Wp.Transpose() * Wp * W * sum) + ((Wp.Transpose() + Wp) * W * s.X) - (W * sum),
            SimSiamVariant.NoStopGradientNoPredictor => -2 * W * s.XPrime,
            _ => throw new ArgumentException($"Unknown variant {variant}.", nameof(variant)),
        };
    }

    /// <summary>
    /// Question 5.3: H = X′ ⊗ (WpᵀWp + I) + X ⊗ (W̃pᵀW̃p), W̃p = Wp − I, an (n1·n2)×(n1·n2) symmetric positive
    /// semi-definite matrix with vec(Ẇ) = −H vec(W) when Stop-Grad is removed. Wp = I gives 5.4's H = X′ ⊗ 2I.
    /// </summary>
    /// <param name="Wp">Predictor, n2×n2.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static Matrix<double> H(Matrix<double> Wp, AugmentationStatistics s)
    {
        if (Wp.RowCount != Wp.ColumnCount)
        {
            throw new ArgumentException($"Wp must be square (n2×n2) but is {Wp.RowCount}×{Wp.ColumnCount}.", nameof(Wp));
        }

        var identity = Matrix<double>.Build.DenseIdentity(Wp.RowCount);
        var wTilde = Wp - identity;
        return s.XPrime.KroneckerProduct((Wp.Transpose() * Wp) + identity) + s.X.KroneckerProduct(wTilde.Transpose() * wTilde);
    }

    /// <summary>λ_min of a symmetric matrix (e.g. H), by symmetric eigen-decomposition.</summary>
    public static double LambdaMin(Matrix<double> symmetric) => symmetric.Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum();

    /// <summary>
    /// A bound λ₀ ≤ inf_t λ_min(H(t)) that holds for every predictor: since WpᵀWp ⪰ 0 and X ⊗ W̃pᵀW̃p ⪰ 0,
    /// λ_min(H) ≥ λ_min(X′) without Stop-Grad; with Wp = I (no predictor) H = X′ ⊗ 2I and λ_min(H) = 2 λ_min(X′).
    /// Then ‖W(t)‖_F ≤ e^{−λ₀t} ‖W(0)‖_F (from d/dt ‖w‖² = −2 wᵀHw ≤ −2λ₀‖w‖²).
    /// </summary>
    /// <param name="variant">NoStopGradient or NoStopGradientNoPredictor (Stop-Grad dynamics is not of the form −H vec W).</param>
    /// <param name="s">X and X′, n1×n1.</param>
    public static double Lambda0(SimSiamVariant variant, AugmentationStatistics s) => variant switch
    {
        SimSiamVariant.NoStopGradient => LambdaMin(s.XPrime),
        SimSiamVariant.NoStopGradientNoPredictor => 2 * LambdaMin(s.XPrime),
        _ => throw new ArgumentException("With Stop-Grad the dynamics is not vec(Ẇ) = −H vec(W): there is no collapse bound λ₀.", nameof(variant)),
    };

    /// <summary>A short legend label for a variant.</summary>
    public static string Describe(SimSiamVariant variant) => variant switch
    {
        SimSiamVariant.StopGradient => "stop-gradient + predictor",
        SimSiamVariant.NoStopGradient => "no stop-gradient",
        SimSiamVariant.NoStopGradientNoPredictor => "no stop-gradient, no predictor",
        _ => throw new ArgumentException($"Unknown variant {variant}.", nameof(variant)),
    };

    /// <summary>vec(W): the columns of W stacked, length n1·n2.</summary>
    public static Vector<double> Vec(Matrix<double> W) => Vector<double>.Build.DenseOfArray(W.ToColumnMajorArray());

    private static void Check(Matrix<double> W, Matrix<double> Wp, AugmentationStatistics s)
    {
        int n1 = s.X.RowCount;
        if (s.X.ColumnCount != n1 || s.XPrime.RowCount != n1 || s.XPrime.ColumnCount != n1)
        {
            throw new ArgumentException($"X and X′ must both be n1×n1 but are {s.X.RowCount}×{s.X.ColumnCount} and {s.XPrime.RowCount}×{s.XPrime.ColumnCount}.", nameof(s));
        }

        if (W.ColumnCount != n1)
        {
            throw new ArgumentException($"W must be n2×n1 (n1 = {n1}) but is {W.RowCount}×{W.ColumnCount}.", nameof(W));
        }

        if (Wp.RowCount != W.RowCount || Wp.ColumnCount != W.RowCount)
        {
            throw new ArgumentException($"Wp must be n2×n2 ({W.RowCount}×{W.RowCount}) but is {Wp.RowCount}×{Wp.ColumnCount}.", nameof(Wp));
        }
    }
}
