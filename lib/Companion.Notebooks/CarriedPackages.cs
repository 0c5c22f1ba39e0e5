namespace Companion.Notebooks;

/// <summary>
/// The NuGet packages the engine itself carries (referenced by the engine and loaded into every session), so a cell's
/// <c>#r "nuget: Name, Version"</c> for one of them is satisfied without a download. Any other package is an error that
/// names it: nothing is downloaded at run time.
/// </summary>
public static class CarriedPackages
{
    /// <summary>Package id (case-insensitive) → the version the engine carries.</summary>
    public static IReadOnlyDictionary<string, string> Versions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["MathNet.Numerics"] = "5.0.0",
        ["Plotly.NET"] = "6.0.0",
        ["Plotly.NET.CSharp"] = "0.14.0",
        ["FSharp.Core"] = "10.0.111",
    };

    /// <summary>Assemblies to reference in every session: one type from each carried package.</summary>
    public static IReadOnlyList<System.Reflection.Assembly> Assemblies { get; } =
    [
        typeof(MathNet.Numerics.LinearAlgebra.Matrix<double>).Assembly,
        typeof(Plotly.NET.GenericChart).Assembly,
        typeof(Plotly.NET.CSharp.Chart).Assembly,
        typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly,
    ];
}
