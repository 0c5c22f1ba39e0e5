namespace Companion.Autoregressive;

/// <summary>
/// Single-channel masked 2-D convolution without kernel flipping (a cross-correlation) and zero padding
/// p = (k − 1)/2, so an H×W map stays H×W (homework 002_6d1f8bd69ec35d2c, Question 2: k = 3, p = 1, 5×5 maps):
/// <code>y[i, j] = Σ_{u,v} (K ⊙ M)[u, v] · x[i + u − p, j + v − p]</code>  (x = 0 outside the map),
/// and its adjoint x̄ = ∂⟨ȳ, y⟩/∂x, <code>x̄[a, b] = Σ_{u,v} (K ⊙ M)[u, v] · ȳ[a − u + p, b − v + p]</code>.
/// A stack applies layers ℓ = 1..L with tanh between layers (not after the last):
/// h¹ = conv₁(x), hˡ = convₗ(tanh(hˡ⁻¹)), output y = hᴸ.
/// </summary>
public static class MaskedConvolution
{
    /// <summary>One masked convolution, y = (K ⊙ M) ⋆ x with zero padding.</summary>
    /// <param name="x">Input map, H×W.</param>
    /// <param name="kernel">K, k×k with k odd.</param>
    /// <param name="mask">M, k×k.</param>
    /// <returns>y, H×W.</returns>
    public static double[,] Forward(double[,] x, double[,] kernel, bool[,] mask)
    {
        var km = Masked(kernel, mask);
        var y = new double[x.GetLength(0), x.GetLength(1)];
        foreach (var (i, j, a, b, u, v) in Taps(x.GetLength(0), x.GetLength(1), km.GetLength(0)))
        {
            y[i, j] += km[u, v] * x[a, b];
        }

        return y;
    }

    /// <summary>The adjoint (transpose) of <see cref="Forward"/> in x: x̄ = ∂⟨ȳ, Forward(x)⟩/∂x.</summary>
    /// <param name="yBar">ȳ, the gradient with respect to the output, H×W.</param>
    /// <param name="kernel">K, k×k.</param>
    /// <param name="mask">M, k×k.</param>
    /// <returns>x̄, H×W.</returns>
    public static double[,] Adjoint(double[,] yBar, double[,] kernel, bool[,] mask)
    {
        var km = Masked(kernel, mask);
        var xBar = new double[yBar.GetLength(0), yBar.GetLength(1)];
        foreach (var (i, j, a, b, u, v) in Taps(yBar.GetLength(0), yBar.GetLength(1), km.GetLength(0)))
        {
            xBar[a, b] += km[u, v] * yBar[i, j];
        }

        return xBar;
    }

    /// <summary>
    /// Every (output pixel (i, j), input pixel (a, b), kernel tap (u, v)) with a = i + u − p and b = j + v − p inside the
    /// H×W map: the pairs the convolution connects, shared by <see cref="Forward"/> and <see cref="Adjoint"/>.
    /// </summary>
    static IEnumerable<(int I, int J, int A, int B, int U, int V)> Taps(int h, int w, int k)
    {
        int p = k / 2;
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < w; j++)
            {
                for (int u = 0; u < k; u++)
                {
                    for (int v = 0; v < k; v++)
                    {
                        int a = i + u - p, b = j + v - p;
                        if (a >= 0 && a < h && b >= 0 && b < w)
                        {
                            yield return (i, j, a, b, u, v);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The stack's output y = hᴸ for input x (tanh between layers).</summary>
    /// <param name="x">Input map, H×W.</param>
    /// <param name="kernels">K₁..K_L, each k×k.</param>
    /// <param name="masks">M₁..M_L, each k×k.</param>
    public static double[,] Stack(double[,] x, IReadOnlyList<double[,]> kernels, IReadOnlyList<bool[,]> masks)
    {
        CheckStack(kernels, masks);
        var h = Forward(x, kernels[0], masks[0]);
        for (int l = 1; l < kernels.Count; l++)
        {
            h = Forward(Map(h, Math.Tanh), kernels[l], masks[l]);
        }

        return h;
    }

    /// <summary>
    /// ∂y[row, col]/∂x for the stack, by backpropagation through the hand-written adjoints:
    /// ȳ = e_(row,col); for ℓ = L..2: ā = convₗᵀ(h̄ˡ), h̄ˡ⁻¹ = ā ⊙ (1 − tanh²(hˡ⁻¹)); x̄ = conv₁ᵀ(h̄¹).
    /// </summary>
    /// <param name="x">Input map, H×W.</param>
    /// <param name="kernels">K₁..K_L, each k×k.</param>
    /// <param name="masks">M₁..M_L, each k×k.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <returns>The gradient, H×W.</returns>
    public static double[,] InputGradient(double[,] x, IReadOnlyList<double[,]> kernels, IReadOnlyList<bool[,]> masks, int row, int col)
    {
        CheckStack(kernels, masks);
        int hgt = x.GetLength(0), wid = x.GetLength(1);
        if (row < 0 || row >= hgt || col < 0 || col >= wid)
        {
            throw new ArgumentException($"Output pixel ({row}, {col}) is outside the {hgt}×{wid} map.", nameof(row));
        }

        // Forward pass, keeping the pre-activations h¹..h^{L−1}.
        var pre = new List<double[,]> { Forward(x, kernels[0], masks[0]) };
        for (int l = 1; l < kernels.Count - 1; l++)
        {
            pre.Add(Forward(Map(pre[^1], Math.Tanh), kernels[l], masks[l]));
        }

        var g = new double[hgt, wid];
        g[row, col] = 1.0;
        for (int l = kernels.Count - 1; l >= 1; l--)
        {
            var a = Adjoint(g, kernels[l], masks[l]);
            var hPrev = pre[l - 1];
            g = new double[hgt, wid];
            for (int i = 0; i < hgt; i++)
            {
                for (int j = 0; j < wid; j++)
                {
                    double t = Math.Tanh(hPrev[i, j]);
                    g[i, j] = a[i, j] * (1 - (t * t));
                }
            }
        }

        return Adjoint(g, kernels[0], masks[0]);
    }

    /// <summary>
    /// ∂y[row, col]/∂x by central finite differences, (y(x + h eₐᵦ) − y(x − h eₐᵦ))[row, col] / 2h: the independent check
    /// of <see cref="InputGradient"/> (2·H·W forward passes).
    /// </summary>
    /// <param name="x">Input map, H×W.</param>
    /// <param name="kernels">K₁..K_L, each k×k.</param>
    /// <param name="masks">M₁..M_L, each k×k.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <param name="h">Step h &gt; 0.</param>
    /// <returns>The gradient, H×W.</returns>
    public static double[,] InputGradientByFiniteDifferences(double[,] x, IReadOnlyList<double[,]> kernels, IReadOnlyList<bool[,]> masks, int row, int col, double h = 1e-5)
    {
        if (!(h > 0))
        {
            throw new ArgumentException($"The step h must be positive but is {h}.", nameof(h));
        }

        var g = new double[x.GetLength(0), x.GetLength(1)];
        for (int a = 0; a < x.GetLength(0); a++)
        {
            for (int b = 0; b < x.GetLength(1); b++)
            {
                var plus = (double[,])x.Clone();
                var minus = (double[,])x.Clone();
                plus[a, b] += h;
                minus[a, b] -= h;
                g[a, b] = (Stack(plus, kernels, masks)[row, col] - Stack(minus, kernels, masks)[row, col]) / (2 * h);
            }
        }

        return g;
    }

    private static double[,] Masked(double[,] kernel, bool[,] mask)
    {
        int k = kernel.GetLength(0);
        if (k % 2 == 0 || kernel.GetLength(1) != k)
        {
            throw new ArgumentException($"The kernel must be k×k with k odd but is {kernel.GetLength(0)}×{kernel.GetLength(1)}.", nameof(kernel));
        }

        if (mask.GetLength(0) != k || mask.GetLength(1) != k)
        {
            throw new ArgumentException($"The mask must match the {k}×{k} kernel but is {mask.GetLength(0)}×{mask.GetLength(1)}.", nameof(mask));
        }

        var km = new double[k, k];
        for (int u = 0; u < k; u++)
        {
            for (int v = 0; v < k; v++)
            {
                km[u, v] = mask[u, v] ? kernel[u, v] : 0.0;
            }
        }

        return km;
    }

    private static void CheckStack(IReadOnlyList<double[,]> kernels, IReadOnlyList<bool[,]> masks)
    {
        if (kernels.Count == 0 || kernels.Count != masks.Count)
        {
            throw new ArgumentException($"Need one mask per kernel and at least one layer, but got {kernels.Count} kernels and {masks.Count} masks.", nameof(masks));
        }
    }

    private static double[,] Map(double[,] z, Func<double, double> f)
    {
        var r = new double[z.GetLength(0), z.GetLength(1)];
        for (int i = 0; i < z.GetLength(0); i++)
        {
            for (int j = 0; j < z.GetLength(1); j++)
            {
                r[i, j] = f(z[i, j]);
            }
        }

        return r;
    }
}
