namespace Companion.Data;

/// <summary>
/// The synthetic set of EECS 182 HW7 Q3(a) (seed 003): "each data point has 100 dimensions, with 20 high-variance
/// dimensions affecting the class label". Made here from a seed (the homework's generator is not in the seed text):
/// x_j ~ N(0, 1) for the first <c>informative</c> coordinates and x_j ~ N(0, noiseSd²) for the rest; the class is
/// y = argmax_c w_cᵀ x_{1:informative} for fixed random unit vectors w_c, so the classes are linearly separable in x and
/// all the class information lies in the high-variance coordinates.
/// </summary>
public static class InformativeDimensionsSet
{
    /// <summary>n points, row-major n×dims floats, and their labels.</summary>
    public static (float[] X, int[] Labels) Make(int n, int seed, int dims = 100, int informative = 20, int classes = 4,
        double noiseSd = 0.5)
    {
        if (n < 1 || informative < 1 || informative > dims || classes < 2)
        {
            throw new ArgumentException($"InformativeDimensionsSet: need n ≥ 1, 1 ≤ informative ≤ dims, classes ≥ 2; got n = {n}, informative = {informative}, dims = {dims}, classes = {classes}");
        }
        var rng = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        // Class directions from a fixed stream (seed-independent), so train and test sets share the labelling rule.
        var wr = new Random(12345);
        var w = new double[classes, informative];
        for (int c = 0; c < classes; c++)
        {
            for (int j = 0; j < informative; j++)
            {
                w[c, j] = Math.Sqrt(-2 * Math.Log(1 - wr.NextDouble())) * Math.Cos(2 * Math.PI * wr.NextDouble());
            }
        }
        var x = new float[n * dims];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dims; j++)
            {
                x[i * dims + j] = (float)(j < informative ? Gauss() : noiseSd * Gauss());
            }
            double best = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double s = 0;
                for (int j = 0; j < informative; j++)
                {
                    s += w[c, j] * x[i * dims + j];
                }
                if (s > best)
                {
                    best = s;
                    y[i] = c;
                }
            }
        }
        return (x, y);
    }
}
