using System.Security.Cryptography;
using System.Text;

namespace Companion.Kernel;

/// <summary>
/// Signs and verifies Jupyter messages: the signature is the hex HMAC of the serialised header, parent header,
/// metadata and content frames, keyed with the connection file's key (Jupyter messaging spec, "The wire protocol").
/// An empty key means messages are not signed (the signature frame is empty).
/// </summary>
public sealed class MessageSigner
{
    readonly byte[] key;

    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        if (key.Length > 0 && scheme != "hmac-sha256")
            throw new NotSupportedException($"signature scheme \"{scheme}\" is not supported (only hmac-sha256)");
        this.key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>Whether messages are signed at all.</summary>
    public bool Enabled => key.Length > 0;

    /// <summary>The lower-case hex HMAC-SHA256 of the four frames, or "" when signing is off.</summary>
    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return "";
        using var hmac = new HMACSHA256(key);
        foreach (var f in frames) hmac.TransformBlock(f, 0, f.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>Whether <paramref name="signature"/> is the signature of the frames (constant-time comparison).</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(frames));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
