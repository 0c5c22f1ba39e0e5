using Companion.Parity;
using static TorchSharp.torch;

namespace Companion.Networks.Parity;

/// <summary>Training and held-out inputs for the parity task, as bit masks and as tensors.</summary>
/// <param name="D">Input dimension.</param>
/// <param name="VStar">The mask v*.</param>
/// <param name="Train">Distinct training inputs (bit masks).</param>
/// <param name="HeldOut">Distinct held-out inputs, disjoint from <paramref name="Train"/>.</param>
public sealed record ParitySplit(int D, long VStar, long[] Train, long[] HeldOut)
{
    /// <summary>x as a (n, d) float64 tensor of 0/1 values.</summary>
    public static Tensor Inputs(IReadOnlyList<long> xs, int d)
    {
        ArgumentNullException.ThrowIfNull(xs);
        var v = new double[xs.Count * d];
        for (int i = 0; i < xs.Count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                v[i * d + j] = (xs[i] >> j) & 1;
            }
        }
        return tensor(v, [xs.Count, d], float64);
    }

    /// <summary>y = (−1)^{v*ᵀx} as a (n,) float64 tensor.</summary>
    public static Tensor Labels(IReadOnlyList<long> xs, long vStar)
    {
        ArgumentNullException.ThrowIfNull(xs);
        return tensor(xs.Select(x => (System.Numerics.BitOperations.PopCount((ulong)(x & vStar)) & 1) == 0 ? 1.0 : -1.0).ToArray(), float64);
    }
}

/// <summary>Sampling of the parity task of CS189 HW7 Question 3(b): v* uniform on {0,1}^d, inputs uniform and distinct.</summary>
public static class ParityData
{
    /// <summary>
    /// v* uniform on {0,1}^d (redrawn if 0, which makes every label +1), then distinct inputs: when the cube is small
    /// (2^d ≤ trainSize + heldOutSize) all 2^d inputs are shuffled and split in the proportion trainSize : heldOutSize;
    /// otherwise trainSize + heldOutSize distinct uniform draws.
    /// </summary>
    public static ParitySplit Sample(int d, int trainSize, int heldOutSize, int seed)
    {
        if (d < 1 || d > 62 || trainSize < 1 || heldOutSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"ParityData.Sample: need 1 ≤ d ≤ 62 and positive sizes; got d = {d}, train {trainSize}, held-out {heldOutSize}");
        }
        var rng = new Random(seed);
        long Draw() => rng.NextInt64(0, 1L << d);
        long vStar;
        do
        {
            vStar = Draw();
        }
        while (vStar == 0);
        long cube = 1L << d;
        if (cube <= trainSize + heldOutSize)
        {
            var all = Enumerable.Range(0, (int)cube).Select(x => (long)x).ToArray();
            rng.Shuffle(all);
            int nTrain = (int)Math.Round(cube * (double)trainSize / (trainSize + heldOutSize));
            nTrain = Math.Clamp(nTrain, 1, (int)cube - 1);
            return new ParitySplit(d, vStar, all[..nTrain], all[nTrain..]);
        }
        var seen = new HashSet<long>();
        var xs = new List<long>();
        while (xs.Count < trainSize + heldOutSize)
        {
            long x = Draw();
            if (seen.Add(x))
            {
                xs.Add(x);
            }
        }
        return new ParitySplit(d, vStar, xs.Take(trainSize).ToArray(), xs.Skip(trainSize).ToArray());
    }

    /// <summary>|v*|, the number of coordinates the label depends on.</summary>
    public static int Weight(long vStar) => System.Numerics.BitOperations.PopCount((ulong)vStar);

    /// <summary>Enumerates all 2^d inputs as a tensor (d ≤ <see cref="ParityFunction.MaxEnumeratedDimension"/>).</summary>
    public static long[] Cube(int d) => Enumerable.Range(0, ParityFunction.CubeSize(d, "ParityData.Cube")).Select(x => (long)x).ToArray();
}
