using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Companion.Kernel;

/// <summary>A message whose signature does not match (or that cannot be read); it is dropped and logged.</summary>
public sealed class InvalidMessageException(string message) : Exception(message);

/// <summary>
/// One Jupyter message (messaging protocol 5.3): ZeroMQ routing identities, header, parent header, metadata, content
/// and binary buffers. On the wire: identities, <c>&lt;IDS|MSG&gt;</c>, signature, the four JSON frames, buffers.
/// </summary>
public sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader,
    JsonObject Metadata, JsonObject Content, IReadOnlyList<byte[]> Buffers)
{
    public const string Delimiter = "<IDS|MSG>";
    public const string ProtocolVersion = "5.3";
    static readonly byte[] DelimiterBytes = Encoding.ASCII.GetBytes(Delimiter);

    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";
    public string Id => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A new message of type <paramref name="msgType"/> answering (or caused by) <paramref name="parent"/>;
    /// it is routed to the parent's identities unless others are given.</summary>
    public static JupyterMessage Create(string msgType, JsonObject content, JupyterMessage? parent, string session,
        IReadOnlyList<byte[]>? identities = null) => new(
        identities ?? parent?.Identities ?? [],
        new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = msgType,
            ["version"] = ProtocolVersion,
        },
        parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone(),
        new JsonObject(),
        content,
        []);

    /// <summary>The frames to send, signed.</summary>
    public List<byte[]> ToFrames(MessageSigner signer)
    {
        var body = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(Header.ToJsonString()),
            Encoding.UTF8.GetBytes(ParentHeader.ToJsonString()),
            Encoding.UTF8.GetBytes(Metadata.ToJsonString()),
            Encoding.UTF8.GetBytes(Content.ToJsonString()),
        };
        var frames = new List<byte[]>(Identities);
        frames.Add(DelimiterBytes);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(body)));
        frames.AddRange(body);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>Reads frames received on a ROUTER socket; throws <see cref="InvalidMessageException"/> when the
    /// delimiter or a JSON frame is missing or the signature is wrong.</summary>
    public static JupyterMessage Parse(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        int d = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(DelimiterBytes)) { d = i; break; }
        if (d < 0 || frames.Count < d + 6)
            throw new InvalidMessageException($"not a Jupyter message: {frames.Count} frames, delimiter {(d < 0 ? "missing" : $"at {d}")}");
        var body = new[] { frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5] };
        var signature = Encoding.ASCII.GetString(frames[d + 1]);
        if (!signer.Verify(signature, body))
            throw new InvalidMessageException("invalid signature: the message is dropped (is the kernel's key the front end's?)");
        JsonObject Obj(byte[] f, string what)
        {
            try { return JsonNode.Parse(f) as JsonObject ?? new JsonObject(); }
            catch (System.Text.Json.JsonException e) { throw new InvalidMessageException($"{what} is not JSON: {e.Message}"); }
        }
        return new JupyterMessage(frames.Take(d).ToList(), Obj(body[0], "header"), Obj(body[1], "parent_header"),
            Obj(body[2], "metadata"), Obj(body[3], "content"), frames.Skip(d + 6).ToList());
    }
}
