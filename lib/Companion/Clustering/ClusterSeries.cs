using Companion.Charts;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>Chart series for clustered points: one scatter series per label (EECS 182 HW7 Q5 plots).</summary>
public static class ClusterSeries
{
    /// <summary>One series "<paramref name="prefix"/> c" per label c, with the points (X[i, xCol], X[i, yCol]) of that label.</summary>
    /// <param name="x">n×d points (a data set or an embedding).</param>
    /// <param name="labels">n labels ≥ 0.</param>
    /// <param name="colourPrefix">Colours are keyed by "<paramref name="colourPrefix"/> c" (default: the series name), so
    /// clusters renamed by <see cref="ClusterAgreement.MatchToClasses"/> and drawn with <c>colourPrefix: "class"</c> take
    /// the colour of their class.</param>
    public static IReadOnlyList<Series> ByLabel(Matrix<double> x, int[] labels, string prefix = "cluster", int xCol = 0, int yCol = 1,
        string? colourPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != x.RowCount)
        {
            throw new ArgumentException($"ClusterSeries: {x.RowCount} points but {labels.Length} labels", nameof(labels));
        }
        return labels.Distinct().Order().Select(c =>
        {
            var idx = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return new Series($"{prefix} {c}", idx.Select(i => x[i, xCol]).ToArray(), idx.Select(i => x[i, yCol]).ToArray(),
                MarkersOnly: true, Key: $"{colourPrefix ?? prefix} {c}");
        }).ToList();
    }
}
