using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>A recorded per-sample SGD run of the regularised linear autoencoder.</summary>
/// <param name="Epoch">Epochs at which a record was taken (0 = initial weights).</param>
/// <param name="DecoderSingularValues">Singular values of the decoder A = W₂ at each record, descending (k each).</param>
/// <param name="Loss">Objective (7) at each record, on the whole data set.</param>
/// <param name="A">Final decoder W₂ (d×k).</param>
/// <param name="B">Final encoder W₁ (k×d).</param>
public sealed record LinearAutoencoderSgdRun(double[] Epoch, double[][] DecoderSingularValues, double[] Loss,
    Matrix<double> A, Matrix<double> B);

/// <summary>
/// SGD "involving the training points one at a time" on the ℓ₂-regularised linear autoencoder, EECS 182 HW7 Q8 eq. (7)
/// (seed 003; worked discussion seed 001, Q8):
/// <code>
/// L_λ(W₁, W₂) = (1/n) ‖X − W₂W₁X‖²_F + λ‖W₁‖²_F + λ‖W₂‖²_F = (1/n) Σᵢ fᵢ,
/// fᵢ = ‖xᵢ − W₂W₁xᵢ‖² + λ(‖W₁‖²_F + ‖W₂‖²_F),
/// ∂fᵢ/∂W₂ = −2 rᵢ zᵢᵀ + 2λW₂,  ∂fᵢ/∂W₁ = −2 W₂ᵀ rᵢ xᵢᵀ + 2λW₁,  zᵢ = W₁xᵢ, rᵢ = xᵢ − W₂zᵢ.
/// </code>
/// Each epoch visits the n columns in a fresh random order (seeded); the step is η_t = η₀ / (1 + t/T) at step t (T = ∞:
/// constant). This is what PyTorch's <c>SGD(lr=η, weight_decay=2λ)</c> does on <c>MSELoss(reduction='sum')</c> with a
/// batch of one. Library notation as in <see cref="LinearAutoencoder"/>: A = W₂ (decoder, d×k), B = W₁ (encoder, k×d).
/// </summary>
public static class LinearAutoencoderSgd
{
    /// <summary>(∂fᵢ/∂A, ∂fᵢ/∂B) for one sample x (length d).</summary>
    public static (Matrix<double> GradA, Matrix<double> GradB) SampleGradient(Vector<double> x, Matrix<double> A,
        Matrix<double> B, double lambda)
    {
        ArgumentNullException.ThrowIfNull(x);
        var z = B * x;
        var r = x - A * z;
        var gA = -2 * r.OuterProduct(z) + 2 * lambda * A;
        var gB = -2 * (A.TransposeThisAndMultiply(r)).OuterProduct(x) + 2 * lambda * B;
        return (gA, gB);
    }

    /// <summary>Objective (7) on data X (d×n).</summary>
    public static double Objective(Matrix<double> X, Matrix<double> A, Matrix<double> B, double lambda)
    {
        ArgumentNullException.ThrowIfNull(X);
        double a = A.FrobeniusNorm(), b = B.FrobeniusNorm();
        return LinearAutoencoder.LossOnData(X, A, B) / X.ColumnCount + lambda * (a * a + b * b);
    }

    /// <summary>Runs <paramref name="epochs"/> epochs of per-sample SGD from (A₀, B₀), recording every
    /// <paramref name="recordEvery"/> epochs (and the last).</summary>
    /// <param name="X">Data, d×n, one sample per column.</param>
    /// <param name="A0">Initial decoder W₂, d×k.</param>
    /// <param name="B0">Initial encoder W₁, k×d.</param>
    /// <param name="lambda">λ ≥ 0 of (7).</param>
    /// <param name="eta0">Initial step η₀ &gt; 0.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="seed">Seed of the visiting order.</param>
    /// <param name="decaySteps">T of η_t = η₀/(1 + t/T); ∞ for a constant step.</param>
    /// <exception cref="InvalidOperationException">The weights overflow (η₀ too large).</exception>
    public static LinearAutoencoderSgdRun Train(Matrix<double> X, Matrix<double> A0, Matrix<double> B0, double lambda,
        double eta0, int epochs, int seed, double decaySteps = double.PositiveInfinity, int recordEvery = 1)
    {
        ArgumentNullException.ThrowIfNull(X);
        if (!(eta0 > 0) || !(lambda >= 0) || epochs < 0 || recordEvery < 1 || !(decaySteps > 0))
        {
            throw new ArgumentException($"SGD: need η₀ > 0, λ ≥ 0, epochs ≥ 0, recordEvery ≥ 1, T > 0; got η₀ = {eta0}, λ = {lambda}, epochs = {epochs}, recordEvery = {recordEvery}, T = {decaySteps}");
        }
        int d = X.RowCount, k = A0.ColumnCount, n = X.ColumnCount;
        if (A0.RowCount != d || B0.RowCount != k || B0.ColumnCount != d)
        {
            throw new ArgumentException($"SGD: X is {d}×{n}, so A₀ must be {d}×k and B₀ k×{d}, but they are {A0.RowCount}×{A0.ColumnCount} and {B0.RowCount}×{B0.ColumnCount}");
        }
        // Plain arrays in the inner loop (the formulas of SampleGradient, without allocating matrices per step).
        var a = A0.ToRowMajorArray();      // a[i·k + j] = A_ij
        var b = B0.ToRowMajorArray();      // b[j·d + l] = B_jl
        var xs = X.ToColumnArrays();       // xs[c] = column c
        var z = new double[k];
        var r = new double[d];
        var atr = new double[k];
        var rng = new Random(seed);
        var order = Enumerable.Range(0, n).ToArray();
        var epochsRec = new List<double>();
        var sv = new List<double[]>();
        var loss = new List<double>();
        Matrix<double> MatA() => Matrix<double>.Build.DenseOfRowMajor(d, k, a);
        Matrix<double> MatB() => Matrix<double>.Build.DenseOfRowMajor(k, d, b);
        void Record(int e)
        {
            epochsRec.Add(e);
            sv.Add(MatA().Svd(computeVectors: false).S.ToArray());
            loss.Add(Objective(X, MatA(), MatB(), lambda));
        }
        Record(0);
        long t = 0;
        for (int e = 1; e <= epochs; e++)
        {
            rng.Shuffle(order);
            foreach (int c in order)
            {
                double eta = eta0 / (1 + t / decaySteps);
                var x = xs[c];
                for (int j = 0; j < k; j++)
                {
                    double s = 0;
                    for (int l = 0; l < d; l++)
                    {
                        s += b[j * d + l] * x[l];
                    }
                    z[j] = s;
                }
                for (int i = 0; i < d; i++)
                {
                    double s = x[i];
                    for (int j = 0; j < k; j++)
                    {
                        s -= a[i * k + j] * z[j];
                    }
                    r[i] = s;
                }
                for (int j = 0; j < k; j++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++)
                    {
                        s += a[i * k + j] * r[i];
                    }
                    atr[j] = s;
                }
                // A ← A − η(−2 r zᵀ + 2λA),  B ← B − η(−2 (Aᵀr) xᵀ + 2λB), both from the same (pre-step) A.
                double shrink = 1 - 2 * eta * lambda;
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        a[i * k + j] = shrink * a[i * k + j] + 2 * eta * r[i] * z[j];
                    }
                }
                for (int j = 0; j < k; j++)
                {
                    for (int l = 0; l < d; l++)
                    {
                        b[j * d + l] = shrink * b[j * d + l] + 2 * eta * atr[j] * x[l];
                    }
                }
                t++;
            }
            if (!a.All(double.IsFinite) || !b.All(double.IsFinite))
            {
                throw new InvalidOperationException($"SGD diverged in epoch {e} with η₀ = {eta0}: lower the step");
            }
            if (e % recordEvery == 0 || e == epochs)
            {
                Record(e);
            }
        }
        return new LinearAutoencoderSgdRun(epochsRec.ToArray(), sv.ToArray(), loss.ToArray(), MatA(), MatB());
    }
}
