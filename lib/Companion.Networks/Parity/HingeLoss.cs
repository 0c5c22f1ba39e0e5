using static TorchSharp.torch;

namespace Companion.Networks.Parity;

/// <summary>
/// The batch hinge loss of CS189 HW7 Question 3(b): (1/n) Σᵢ max{0, 1 − f(xᵢ)·yᵢ}. Built from torch operations only, so
/// autograd differentiates it (the subgradient at 1 − f·y = 0 is 0, as for <c>relu</c>).
/// </summary>
public static class HingeLoss
{
    /// <summary>Mean of max{0, 1 − f·y} over the batch; f and y of shape (n,).</summary>
    public static Tensor Mean(Tensor f, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(y);
        using var margin = f * y;
        using var gap = 1 - margin;
        using var clipped = gap.clamp_min(0);
        return clipped.mean();
    }
}
