namespace Companion.Autoregressive;

/// <summary>The two PixelCNN mask types (van den Oord et al. 2016, "Pixel Recurrent Neural Networks").</summary>
public enum MaskType
{
    /// <summary>Type A: sees the pixels strictly before the centre in raster order (first layer of a PixelCNN).</summary>
    A,

    /// <summary>Type B: type A plus the centre itself (later layers).</summary>
    B,
}

/// <summary>
/// Binary masks that make a convolution autoregressive in raster order (homework 002_6d1f8bd69ec35d2c, Question 2).
/// With 1-based kernel indices (u, v) and centre c = (k + 1)/2 the masks are
/// M^A_{uv} = 1 iff u &lt; c or (u = c and v &lt; c), and M^B_{uv} = 1 iff u &lt; c or (u = c and v ≤ c); for k = 3
/// <code>
/// M^A = 1 1 1    M^B = 1 1 1
///       1 0 0          1 1 0
///       0 0 0          0 0 0
/// </code>
/// The kernel is multiplied by the mask elementwise. Arrays here are 0-based: entry [u, v] is the homework's (u+1, v+1).
/// </summary>
public static class PixelCnnMask
{
    /// <summary>The k×k mask of the given type, as booleans (true = weight kept).</summary>
    /// <param name="type">A or B.</param>
    /// <param name="kernelSize">k, odd and ≥ 1.</param>
    public static bool[,] Create(MaskType type, int kernelSize = 3)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
        {
            throw new ArgumentException($"The kernel size must be odd and positive but is {kernelSize}.", nameof(kernelSize));
        }

        int c = kernelSize / 2;
        var m = new bool[kernelSize, kernelSize];
        for (int u = 0; u < kernelSize; u++)
        {
            for (int v = 0; v < kernelSize; v++)
            {
                m[u, v] = u < c || (u == c && (type == MaskType.A ? v < c : v <= c));
            }
        }

        return m;
    }

    /// <summary>The mask as 0/1 numbers, e.g. for a heatmap.</summary>
    public static double[,] AsNumbers(bool[,] mask)
    {
        var z = new double[mask.GetLength(0), mask.GetLength(1)];
        for (int i = 0; i < mask.GetLength(0); i++)
        {
            for (int j = 0; j < mask.GetLength(1); j++)
            {
                z[i, j] = mask[i, j] ? 1.0 : 0.0;
            }
        }

        return z;
    }
}
