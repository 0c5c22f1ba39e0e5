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
    /// v* uniform on {0,1}^d (redrawn if 0, which makes every label +1) — or, with <paramref name="maskWeight"/> &gt; 0,
    /// uniform among the masks with exactly that many ones (|v*| = maskWeight), so that runs at different d learn
    /// parities of the same order — then distinct inputs: when the cube is small (2^d ≤ trainSize + heldOutSize) all
    /// 2^d inputs are shuffled and split in the proportion trainSize : heldOutSize; otherwise trainSize + heldOutSize
    /// distinct uniform draws.
    /// </summary>
    /// <param name="d">Input dimension, 1 … 62.</param>
    /// <param name="trainSize">Training inputs wanted.</param>
    /// <param name="heldOutSize">Held-out inputs wanted.</param>
    /// <param name="seed">Seeds v* and the inputs.</param>
    /// <param name="maskWeight">0: v* uniform (the homework); 1 … d: |v*| fixed to this value.</param>
    public static ParitySplit Sample(int d, int trainSize, int heldOutSize, int seed, int maskWeight = 0)
    {
        if (d < 1 || d > 62 || trainSize < 1 || heldOutSize < 1 || maskWeight < 0 || maskWeight > d)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"ParityData.Sample: need 1 ≤ d ≤ 62, positive sizes and 0 ≤ maskWeight ≤ d; got d = {d}, train {trainSize}, held-out {heldOutSize}, maskWeight {maskWeight}");
        }
        var rng = new Random(seed);
        long Draw() => rng.NextInt64(0, 1L << d);
        long vStar;
        if (maskWeight > 0)
        {
            var positions = Enumerable.Range(0, d).ToArray();
            rng.Shuffle(positions);
            vStar = positions.Take(maskWeight).Aggregate(0L, (v, j) => v | (1L << j));
        }
        else
        {
            do
            {
                vStar = Draw();
            }
            while (vStar == 0);
        }
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

    /// <summary>
    /// A batch of <paramref name="size"/> inputs drawn uniformly (with replacement) from the cube {0,1}^d without the
    /// inputs in <paramref name="exclude"/> (the held-out set), by rejection: a stochastic gradient step that never
    /// sees a held-out input, so that the held-out accuracy measures generalisation.
    /// </summary>
    /// <exception cref="ArgumentException">The exclusion covers the whole cube, or d outside 1 … 62.</exception>
    public static long[] FreshBatch(Random rng, int d, int size, IReadOnlySet<long> exclude)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(exclude);
        if (d < 1 || d > 62 || size < 0 || (d < 62 && exclude.Count >= 1L << d))
        {
            throw new ArgumentException($"ParityData.FreshBatch: need 1 ≤ d ≤ 62, size ≥ 0 and inputs left outside the {exclude.Count} excluded; got d = {d}, size {size}", nameof(exclude));
        }
        var batch = new long[size];
        for (int i = 0; i < size; i++)
        {
            long x;
            do
            {
                x = rng.NextInt64(0, 1L << d);
            }
            while (exclude.Contains(x));
            batch[i] = x;
        }
        return batch;
    }

    /// <summary>|v*|, the number of coordinates the label depends on.</summary>
    public static int Weight(long vStar) => System.Numerics.BitOperations.PopCount((ulong)vStar);

    /// <summary>Enumerates all 2^d inputs as a tensor (d ≤ <see cref="ParityFunction.MaxEnumeratedDimension"/>).</summary>
    public static long[] Cube(int d) => Enumerable.Range(0, ParityFunction.CubeSize(d, "ParityData.Cube")).Select(x => (long)x).ToArray();
}
