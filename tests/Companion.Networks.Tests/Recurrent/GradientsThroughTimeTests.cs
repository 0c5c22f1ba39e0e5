using Companion.Networks.Recurrent;

namespace Companion.Networks.Tests.Recurrent;

/// <summary>∂L/∂h_t by autograd against the closed form of Q1(e), and the vanishing/exploding behaviour it predicts.</summary>
public class GradientsThroughTimeTests
{
    /// <summary>float64 autograd and the float64 closed form agree to rounding.</summary>
    const double ClosedFormTolerance = 1e-10;

    [Theory]
    [InlineData(0.7)]
    [InlineData(1.0)]
    [InlineData(1.3)]
    public void Linear_rnn_gradients_equal_the_closed_form(double rho)
    {
        var p = GradientsThroughTime.Measure(Nonlinearity.None, rho, lastTargetOnly: true, steps: 25);
        Assert.NotNull(p.ClosedFormNorms);
        Assert.True(p.MaxRelativeError < ClosedFormTolerance, $"max relative error {p.MaxRelativeError}");
        // Wʰ = ρQ with Q orthogonal: ‖∂L/∂h_t‖ = ρ^{T−t} ‖∂L/∂h_T‖
        for (int t = 0; t < 25; t++)
            Assert.Equal(Math.Pow(rho, 24 - t), p.GradientNorms[t] / p.GradientNorms[24], 1e-8);
    }

    [Theory]
    [InlineData(Nonlinearity.None, 0.5, true)]
    [InlineData(Nonlinearity.Tanh, 1.5, true)]
    [InlineData(Nonlinearity.Relu, 2.0, false)]
    [InlineData(Nonlinearity.Tanh, 0.7, false)]
    public void Autograd_gradients_match_central_differences(Nonlinearity sigma, double rho, bool lastTargetOnly)
    {
        var p = GradientsThroughTime.Measure(sigma, rho, lastTargetOnly, steps: 20);
        // float64, ε = 1e-5: truncation ~ε², rounding ~1e-16/ε relative to the loss
        Assert.True(p.FiniteDifferenceError < 1e-6, $"finite-difference error {p.FiniteDifferenceError}");
    }

    [Fact]
    public void Closed_form_norms_follow_rho_powers_from_forward_values_alone()
    {
        var p = GradientsThroughTime.Measure(Nonlinearity.None, 1.3, lastTargetOnly: true, steps: 10);
        for (int t = 0; t < 10; t++)
            Assert.Equal(1.0, p.ClosedFormNorms![t] / p.GradientNorms[t], 1e-9);
        Assert.Equal(Math.Pow(1.3, 9), p.ClosedFormNorms![0] / p.ClosedFormNorms[9], 1e-9);
    }

    [Fact]
    public void Tanh_saturation_keeps_hidden_states_bounded_while_relu_explodes()
    {
        var tanh = GradientsThroughTime.Measure(Nonlinearity.Tanh, 3.0, lastTargetOnly: true, steps: 30);
        var relu = GradientsThroughTime.Measure(Nonlinearity.Relu, 3.0, lastTargetOnly: true, steps: 30);
        Assert.True(tanh.HiddenNorms.Max() <= Math.Sqrt(16)); // |tanh| < 1 in each of H = 16 entries
        Assert.True(relu.HiddenNorms.Max() > 1e3 * tanh.HiddenNorms.Max());
        Assert.Null(tanh.ClosedFormNorms);
    }

    [Fact]
    public void Scoring_every_step_keeps_late_gradients_large_but_early_ones_still_vanish()
    {
        var last = GradientsThroughTime.Measure(Nonlinearity.None, 0.5, lastTargetOnly: true, steps: 30);
        var all = GradientsThroughTime.Measure(Nonlinearity.None, 0.5, lastTargetOnly: false, steps: 30);
        Assert.True(last.GradientNorms[0] < 1e-6 * last.GradientNorms[^1]);
        // with every step scored, ∂L/∂h_t has its own direct term at each t: no decay across the sequence
        Assert.True(all.GradientNorms[0] > 1e-3 * all.GradientNorms.Max());
    }
}
