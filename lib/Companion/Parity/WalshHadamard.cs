namespace Companion.Parity;

/// <summary>
/// The Walsh–Hadamard transform on {0,1}^d: ĥ(v) = Σₓ (−1)^{vᵀx} h(x) for all v at once, by the butterfly
/// (h(x), h(x ⊕ eⱼ)) → (h(x) + h(x ⊕ eⱼ), h(x) − h(x ⊕ eⱼ)) over each bit j: d·2^d additions instead of 4^d.
/// CS189 HW7 Question 3(c): E_x[(−1)^{v*ᵀx} g(x)] = ĝ(v*)/2^d for every mask v* at once.
/// </summary>
public static class WalshHadamard
{
    /// <summary>Transforms <paramref name="h"/> in place (length 2^d, index = bit mask).</summary>
    /// <exception cref="ArgumentException">The length is not a power of two.</exception>
    public static void TransformInPlace(Span<double> h)
    {
        int n = h.Length;
        if (n == 0 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException($"WalshHadamard: the length must be a power of two (2^d) but is {n}", nameof(h));
        }
        for (int half = 1; half < n; half <<= 1)
        {
            for (int start = 0; start < n; start += 2 * half)
            {
                for (int x = start; x < start + half; x++)
                {
                    double a = h[x], b = h[x + half];
                    h[x] = a + b;
                    h[x + half] = a - b;
                }
            }
        }
    }

    /// <summary>ĥ as a new array.</summary>
    public static double[] Transform(IReadOnlyList<double> h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var copy = h.ToArray();
        TransformInPlace(copy);
        return copy;
    }
}
