using System.Numerics;

namespace Companion.Parity;

/// <summary>
/// The parity labels of CS189 HW7 (seed <c>004_88812e8faecb25b2.txt</c>, Question 3): x, v* ∈ {0, 1}^d, stored as
/// bit masks (bit j of the integer is coordinate j), and y = (−1)^{v*ᵀx} = χ_{v*}(x), the Walsh character of v*.
/// </summary>
public static class ParityFunction
{
    /// <summary>The largest d for which all 2^d inputs are enumerated (2^d fits in an int, and the work stays small).</summary>
    public const int MaxEnumeratedDimension = 20;

    /// <summary>v*ᵀx: how many coordinates are 1 in both x and v*.</summary>
    public static int Overlap(int vStar, int x) => BitOperations.PopCount((uint)(vStar & x));

    /// <summary>y = (−1)^{v*ᵀx} ∈ {+1, −1}.</summary>
    public static int Label(int vStar, int x) => (Overlap(vStar, x) & 1) == 0 ? 1 : -1;

    /// <summary>The coordinates of x as 0/1 values, length d.</summary>
    public static double[] Bits(int x, int d)
    {
        var b = new double[d];
        for (int j = 0; j < d; j++)
        {
            b[j] = (x >> j) & 1;
        }
        return b;
    }

    /// <summary>Checks 1 ≤ d ≤ <see cref="MaxEnumeratedDimension"/> for an enumeration over all 2^d points.</summary>
    /// <exception cref="ArgumentOutOfRangeException">d outside that range, with the range in the message.</exception>
    public static int CubeSize(int d, string caller)
    {
        if (d < 1 || d > MaxEnumeratedDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(d),
                $"{caller}: d must be in 1..{MaxEnumeratedDimension} to enumerate all 2^d points, but is {d}");
        }
        return 1 << d;
    }
}
