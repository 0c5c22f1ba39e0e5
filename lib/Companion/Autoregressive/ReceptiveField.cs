namespace Companion.Autoregressive;

/// <summary>
/// Receptive field of one output pixel of a stack of masked convolutions (homework 002_6d1f8bd69ec35d2c,
/// Question 2: pixel 33 of a 5×5 map after two 3×3 layers with masks A/A, A/B, B/A, B/B), computed two independent ways:
/// <list type="number">
/// <item>by composing the masks: the set of input pixels that can reach output pixel (i, j) is
/// S_L = {(i, j)}, S_{ℓ−1} = ∪_{(a,b)∈S_ℓ} {(a + u − p, b + v − p) : Mₗ[u, v] = 1, inside the map};</item>
/// <item>by the gradient ∂y[i, j]/∂x through real masked convolutions with random non-zero weights and tanh between
/// layers: input pixel (a, b) is in the field iff |∂y[i, j]/∂x[a, b]| &gt; tolerance for some weight draw.</item>
/// </list>
/// Pixels are 0-based (row, col) here; the homework labels them 1-based as "row col", so its pixel 33 is (2, 2).
/// </summary>
public static class ReceptiveField
{
    /// <summary>Relative threshold under which a gradient entry counts as zero (structural zeros are exact).</summary>
    public const double GradientTolerance = 1e-10;

    /// <summary>Way 1: input pixels that reach output pixel (row, col), by set algebra on the masks.</summary>
    /// <param name="layers">Mask type of each layer, first layer first.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <param name="kernelSize">k (odd).</param>
    /// <returns>H×W, true where the input pixel is in the receptive field.</returns>
    public static bool[,] ByMaskComposition(IReadOnlyList<MaskType> layers, int height, int width, int row, int col, int kernelSize = 3)
    {
        CheckPixel(layers, height, width, row, col);
        var set = new bool[height, width];
        set[row, col] = true;
        int p = kernelSize / 2;
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            var m = PixelCnnMask.Create(layers[l], kernelSize);
            var next = new bool[height, width];
            for (int a = 0; a < height; a++)
            {
                for (int b = 0; b < width; b++)
                {
                    if (!set[a, b])
                    {
                        continue;
                    }

                    for (int u = 0; u < kernelSize; u++)
                    {
                        for (int v = 0; v < kernelSize; v++)
                        {
                            int r = a + u - p, c = b + v - p;
                            if (m[u, v] && r >= 0 && r < height && c >= 0 && c < width)
                            {
                                next[r, c] = true;
                            }
                        }
                    }
                }
            }

            set = next;
        }

        return set;
    }

    /// <summary>
    /// Way 2: max over <paramref name="draws"/> random networks of |∂y[row, col]/∂x|, each by backpropagation
    /// (<see cref="MaskedConvolution.InputGradient"/>). Kernel entries are ±U(0.25, 0.75) (never zero); inputs U(−1, 1).
    /// </summary>
    /// <param name="layers">Mask type of each layer, first layer first.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <param name="draws">Number of random weight/input draws (≥ 1).</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="kernelSize">k (odd).</param>
    /// <returns>H×W gradient magnitudes.</returns>
    public static double[,] GradientMagnitude(IReadOnlyList<MaskType> layers, int height, int width, int row, int col, int draws = 3, int seed = 0, int kernelSize = 3)
    {
        CheckPixel(layers, height, width, row, col);
        if (draws < 1)
        {
            throw new ArgumentException($"Need at least one draw but got {draws}.", nameof(draws));
        }

        var rng = new Random(seed);
        var masks = layers.Select(t => PixelCnnMask.Create(t, kernelSize)).ToArray();
        var g = new double[height, width];
        for (int d = 0; d < draws; d++)
        {
            var (x, kernels) = RandomNetwork(layers.Count, height, width, kernelSize, rng);
            var gd = MaskedConvolution.InputGradient(x, kernels, masks, row, col);
            for (int a = 0; a < height; a++)
            {
                for (int b = 0; b < width; b++)
                {
                    g[a, b] = Math.Max(g[a, b], Math.Abs(gd[a, b]));
                }
            }
        }

        return g;
    }

    /// <summary>Way 2 as a set: |g| &gt; <see cref="GradientTolerance"/> · max |g|.</summary>
    /// <param name="gradientMagnitude">H×W, from <see cref="GradientMagnitude"/>.</param>
    public static bool[,] Support(double[,] gradientMagnitude)
    {
        double max = 0;
        foreach (var v in gradientMagnitude)
        {
            max = Math.Max(max, v);
        }

        var s = new bool[gradientMagnitude.GetLength(0), gradientMagnitude.GetLength(1)];
        for (int a = 0; a < s.GetLength(0); a++)
        {
            for (int b = 0; b < s.GetLength(1); b++)
            {
                s[a, b] = gradientMagnitude[a, b] > GradientTolerance * max;
            }
        }

        return s;
    }

    /// <summary>
    /// A random network for <see cref="GradientMagnitude"/>: input x (H×W, U(−1, 1)) and L kernels (k×k, ±U(0.25, 0.75)).
    /// </summary>
    public static (double[,] X, double[][,] Kernels) RandomNetwork(int layers, int height, int width, int kernelSize, Random rng)
    {
        var x = new double[height, width];
        for (int a = 0; a < height; a++)
        {
            for (int b = 0; b < width; b++)
            {
                x[a, b] = (2 * rng.NextDouble()) - 1;
            }
        }

        var kernels = new double[layers][,];
        for (int l = 0; l < layers; l++)
        {
            kernels[l] = new double[kernelSize, kernelSize];
            for (int u = 0; u < kernelSize; u++)
            {
                for (int v = 0; v < kernelSize; v++)
                {
                    double magnitude = 0.25 + (0.5 * rng.NextDouble());
                    kernels[l][u, v] = rng.Next(2) == 0 ? -magnitude : magnitude;
                }
            }
        }

        return (x, kernels);
    }

    /// <summary>
    /// The blind spot: pixels strictly before (row, col) in raster order (rows above, or same row to the left), on
    /// which an autoregressive model may condition, that lie within <paramref name="radius"/> of (row, col) (Chebyshev
    /// distance: the reach of an unmasked stack, L·(k − 1)/2 for L layers) but are not in <paramref name="field"/>.
    /// </summary>
    /// <param name="field">H×W receptive field.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <param name="radius">Reach; null means the whole map.</param>
    /// <returns>The missing pixels, 0-based, in raster order.</returns>
    public static IReadOnlyList<(int Row, int Col)> BlindSpot(bool[,] field, int row, int col, int? radius = null)
    {
        int reach = radius ?? int.MaxValue;
        var missing = new List<(int, int)>();
        for (int a = 0; a < field.GetLength(0); a++)
        {
            for (int b = 0; b < field.GetLength(1); b++)
            {
                bool before = a < row || (a == row && b < col);
                bool near = Math.Abs(a - row) <= reach && Math.Abs(b - col) <= reach;
                if (before && near && !field[a, b])
                {
                    missing.Add((a, b));
                }
            }
        }

        return missing;
    }

    /// <summary>
    /// A picture of a field for a heatmap: 1 = in the field, −1 = blind spot (<see cref="BlindSpot"/>), 0 = neither.
    /// </summary>
    /// <param name="field">H×W receptive field.</param>
    /// <param name="row">Output row, 0-based.</param>
    /// <param name="col">Output column, 0-based.</param>
    /// <param name="radius">Reach for the blind spot; null means the whole map.</param>
    public static double[,] Picture(bool[,] field, int row, int col, int? radius = null)
    {
        var z = AsNumbers(field);
        foreach (var (a, b) in BlindSpot(field, row, col, radius))
        {
            z[a, b] = -1;
        }

        return z;
    }

    /// <summary>|g| / max |g| (all zeros stay zeros), e.g. for a heatmap of gradient magnitudes.</summary>
    public static double[,] Normalised(double[,] g)
    {
        double max = g.Cast<double>().Select(Math.Abs).DefaultIfEmpty(0).Max();
        var z = new double[g.GetLength(0), g.GetLength(1)];
        for (int a = 0; a < z.GetLength(0); a++)
        {
            for (int b = 0; b < z.GetLength(1); b++)
            {
                z[a, b] = max > 0 ? Math.Abs(g[a, b]) / max : 0;
            }
        }

        return z;
    }

    /// <summary>The homework labels of the pixels in a field, in raster order ("11", "12", …).</summary>
    public static IReadOnlyList<string> Labels(bool[,] field)
    {
        var labels = new List<string>();
        for (int a = 0; a < field.GetLength(0); a++)
        {
            for (int b = 0; b < field.GetLength(1); b++)
            {
                if (field[a, b])
                {
                    labels.Add(Label(a, b));
                }
            }
        }

        return labels;
    }

    /// <summary>Number of pixels in a field.</summary>
    public static int Size(bool[,] field) => field.Cast<bool>().Count(v => v);

    /// <summary>The homework's label of 0-based pixel (row, col): "33" for (2, 2). Maps up to 9×9.</summary>
    public static string Label(int row, int col) => $"{row + 1}{col + 1}";

    /// <summary>The homework's labels of all pixels of an H×W map ("11" … "55" for 5×5), for charts.</summary>
    public static string[,] PixelLabels(int height, int width)
    {
        var labels = new string[height, width];
        for (int a = 0; a < height; a++)
        {
            for (int b = 0; b < width; b++)
            {
                labels[a, b] = Label(a, b);
            }
        }

        return labels;
    }

    /// <summary>The 0-based (row, col) of the homework's pixel label, e.g. 33 → (2, 2).</summary>
    public static (int Row, int Col) FromLabel(int label)
    {
        if (label < 11 || label > 99 || label % 10 == 0)
        {
            throw new ArgumentException($"A pixel label is two digits 'row col', each 1–9, but got {label}.", nameof(label));
        }

        return ((label / 10) - 1, (label % 10) - 1);
    }

    /// <summary>The field as 0/1 numbers, e.g. for a heatmap.</summary>
    public static double[,] AsNumbers(bool[,] field) => PixelCnnMask.AsNumbers(field);

    private static void CheckPixel(IReadOnlyList<MaskType> layers, int height, int width, int row, int col)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("Need at least one layer.", nameof(layers));
        }

        if (height < 1 || width < 1 || row < 0 || row >= height || col < 0 || col >= width)
        {
            throw new ArgumentException($"Output pixel ({row}, {col}) is outside the {height}×{width} map.", nameof(row));
        }
    }
}
