namespace Companion.Parity;

/// <summary>One (v*, x) where a construction's output differs from (−1)^{v*ᵀx}.</summary>
/// <param name="VStar">v* as a bit mask.</param>
/// <param name="X">x as a bit mask.</param>
/// <param name="Output">f_p(x).</param>
/// <param name="Label">(−1)^{v*ᵀx}.</param>
public sealed record ConstructionFailure(int VStar, int X, double Output, int Label);

/// <summary>Result of checking a construction on all 2^d masks and all 2^d inputs.</summary>
/// <param name="D">Input dimension.</param>
/// <param name="Pairs">Number of (v*, x) pairs checked, 4^d.</param>
/// <param name="MaxError">max over all pairs of |f_p(x) − y|.</param>
/// <param name="Failures">Every pair with |f_p(x) − y| &gt; 0 (the arithmetic is exact: all values are multiples of ½).</param>
/// <param name="SignErrors">Pairs where sign f_p(x) ≠ y.</param>
public sealed record ConstructionReport(int D, long Pairs, double MaxError, IReadOnlyList<ConstructionFailure> Failures, int SignErrors);

/// <summary>
/// Exhaustive check of a hand-set parity network (CS189 HW7 Question 3(a)): for every v* ∈ {0,1}^d build the network
/// and evaluate it at every x ∈ {0,1}^d. The inputs are visited in Gray-code order, so each step flips one bit j and
/// updates the pre-activations of the units with wᵢⱼ ≠ 0 by ±wᵢⱼ (O(k) per input instead of O(kd)); all weights are multiples of ½, so the
/// floating-point sums are exact.
/// </summary>
public static class ConstructionCheck
{
    /// <summary>Checks <paramref name="build"/>(v*) against (−1)^{v*ᵀx} for all v*, x.</summary>
    /// <param name="d">Input dimension, 1..<see cref="ParityFunction.MaxEnumeratedDimension"/>.</param>
    /// <param name="build">The construction, called once per v*.</param>
    /// <param name="maxFailuresKept">At most this many failures are kept in the report (all are counted in MaxError).</param>
    public static ConstructionReport Run(int d, Func<int, ParityNetwork> build, int maxFailuresKept = 1000)
    {
        ArgumentNullException.ThrowIfNull(build);
        int n = ParityFunction.CubeSize(d, "ConstructionCheck.Run");
        var failures = new List<ConstructionFailure>();
        double maxError = 0;
        int signErrors = 0;
        for (int v = 0; v < n; v++)
        {
            var net = build(v);
            if (net.D != d)
            {
                throw new ArgumentException($"ConstructionCheck.Run: the construction for v* = {v} has d = {net.D}, expected {d}", nameof(build));
            }
            // Only units with a non-zero weight on bit j change when bit j flips, and only units with αᵢ ≠ 0 reach the
            // output: the hand-set networks use few of their k units, so both lists are short.
            var touched = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, net.K).Where(i => net.W[i, j] != 0).ToArray()).ToArray();
            var outputs = Enumerable.Range(0, net.K).Where(i => net.Alpha[i] != 0).ToArray();
            var z = (double[])net.B.Clone();   // x = 0
            int x = 0;
            for (int step = 0; step < n; step++)
            {
                if (step > 0)
                {
                    int j = System.Numerics.BitOperations.TrailingZeroCount(step);   // Gray code: flip bit j
                    x ^= 1 << j;
                    double sign = ((x >> j) & 1) != 0 ? 1 : -1;
                    foreach (int i in touched[j])
                    {
                        z[i] += sign * net.W[i, j];
                    }
                }
                double f = net.Beta;
                foreach (int i in outputs)
                {
                    f += net.Alpha[i] * Math.Max(0, z[i]);
                }
                int y = ParityFunction.Label(v, x);
                double err = Math.Abs(f - y);
                if (err > 0)
                {
                    maxError = Math.Max(maxError, err);
                    if (failures.Count < maxFailuresKept)
                    {
                        failures.Add(new ConstructionFailure(v, x, f, y));
                    }
                }
                if (Math.Sign(f) != y)
                {
                    signErrors++;
                }
            }
        }
        return new ConstructionReport(d, (long)n * n, maxError, failures, signErrors);
    }
}
