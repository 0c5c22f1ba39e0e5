using System.Reflection;

namespace Companion.Publishing;

/// <summary>The third-party release files embedded in this assembly from <c>Vendor/</c> (see <c>Vendor/README.md</c>).</summary>
static class VendoredFiles
{
    static readonly Assembly Self = typeof(VendoredFiles).Assembly;

    /// <summary>The bytes of <c>Vendor/<paramref name="path"/></c>; throws naming the file when the build did not embed it.</summary>
    public static byte[] Bytes(string path)
    {
        using var stream = Self.GetManifestResourceStream("Vendor/" + path)
            ?? throw new InvalidOperationException($"Vendor/{path} is not embedded in {Self.GetName().Name}.dll (see lib/Companion.Publishing/Vendor/README.md)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The text (UTF-8) of <c>Vendor/<paramref name="path"/></c>.</summary>
    public static string Text(string path) => System.Text.Encoding.UTF8.GetString(Bytes(path));
}
