namespace Companion.Parity;

/// <summary>
/// The two-layer ReLU network of CS189 HW7 (seed <c>004_88812e8faecb25b2.txt</c>, Question 3):
/// f_p(x) = Σᵢ αᵢ max{0, wᵢᵀx + bᵢ} + β with k hidden units, and p = [w₁ᵀ … w_kᵀ b₁ … b_k α₁ … α_k β] ∈ ℝ^{dk+2k+1}.
/// </summary>
/// <param name="W">First-layer weights, k×d (row i is wᵢ).</param>
/// <param name="B">Hidden biases bᵢ, length k.</param>
/// <param name="Alpha">Output weights αᵢ, length k.</param>
/// <param name="Beta">Output bias β.</param>
public sealed record ParityNetwork(double[,] W, double[] B, double[] Alpha, double Beta)
{
    /// <summary>Input dimension d.</summary>
    public int D => W.GetLength(1);

    /// <summary>Hidden width k.</summary>
    public int K => W.GetLength(0);

    /// <summary>Length of p: dk + 2k + 1.</summary>
    public int ParameterCount => D * K + 2 * K + 1;

    /// <summary>The pre-activations zᵢ = wᵢᵀx + bᵢ for x given as a bit mask.</summary>
    public double[] PreActivations(int x)
    {
        var z = (double[])B.Clone();
        for (int i = 0; i < K; i++)
        {
            for (int j = 0; j < D; j++)
            {
                if (((x >> j) & 1) != 0)
                {
                    z[i] += W[i, j];
                }
            }
        }
        return z;
    }

    /// <summary>f_p(x) = Σᵢ αᵢ max{0, zᵢ} + β.</summary>
    public double Evaluate(int x) => Output(PreActivations(x));

    /// <summary>f from given pre-activations z.</summary>
    public double Output(double[] z)
    {
        ArgumentNullException.ThrowIfNull(z);
        double f = Beta;
        for (int i = 0; i < K; i++)
        {
            f += Alpha[i] * Math.Max(0, z[i]);
        }
        return f;
    }

    /// <summary>
    /// ∇_p f_p(x) in the order of p (Question 3(c)(i)): ∂f/∂wᵢ = αᵢ·1[zᵢ &gt; 0]·x, ∂f/∂bᵢ = αᵢ·1[zᵢ &gt; 0],
    /// ∂f/∂αᵢ = max{0, zᵢ}, ∂f/∂β = 1 (the ReLU derivative at 0 is taken as 0).
    /// </summary>
    public double[] Gradient(int x)
    {
        var z = PreActivations(x);
        var g = new double[ParameterCount];
        int d = D, k = K;
        for (int i = 0; i < k; i++)
        {
            double active = z[i] > 0 ? Alpha[i] : 0;
            for (int j = 0; j < d; j++)
            {
                g[i * d + j] = ((x >> j) & 1) != 0 ? active : 0;
            }
            g[d * k + i] = active;
            g[d * k + k + i] = Math.Max(0, z[i]);
        }
        g[^1] = 1;
        return g;
    }

    /// <summary>
    /// c_p, the bound |∇_p f_p(x)_j| ≤ c_p for all x ∈ {0,1}^d and all j (Question 3(c)(i)):
    /// c_p = max{1, maxᵢ |αᵢ|, maxᵢ max{0, bᵢ + Σⱼ max(wᵢⱼ, 0)}} — the last term is maxₓ max{0, wᵢᵀx + bᵢ}, reached at
    /// the x that switches on exactly the positive weights.
    /// </summary>
    public double GradientBound()
    {
        double c = 1;
        for (int i = 0; i < K; i++)
        {
            double top = B[i];
            for (int j = 0; j < D; j++)
            {
                top += Math.Max(0, W[i, j]);
            }
            c = Math.Max(c, Math.Max(Math.Abs(Alpha[i]), Math.Max(0, top)));
        }
        return c;
    }

    /// <summary>The same network with the output layer (α, β) multiplied by <paramref name="factor"/>.</summary>
    public ParityNetwork WithOutputScaled(double factor) =>
        this with { Alpha = Alpha.Select(a => a * factor).ToArray(), Beta = Beta * factor };

    /// <summary>
    /// PyTorch's default initialisation of the two <c>nn.Linear</c> layers: wᵢⱼ, bᵢ ~ U(−1/√d, 1/√d) and αᵢ, β ~
    /// U(−1/√k, 1/√k), from a seeded generator.
    /// </summary>
    public static ParityNetwork RandomInit(int d, int k, int seed)
    {
        if (d < 1 || k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"ParityNetwork.RandomInit: need d ≥ 1 and k ≥ 1, got d = {d}, k = {k}");
        }
        var rng = new Random(seed);
        double u1 = 1 / Math.Sqrt(d), u2 = 1 / Math.Sqrt(k);
        double U(double a) => (2 * rng.NextDouble() - 1) * a;
        var w = new double[k, d];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < d; j++)
            {
                w[i, j] = U(u1);
            }
        }
        var b = Enumerable.Range(0, k).Select(_ => U(u1)).ToArray();
        var alpha = Enumerable.Range(0, k).Select(_ => U(u2)).ToArray();
        return new ParityNetwork(w, b, alpha, U(u2));
    }
}
