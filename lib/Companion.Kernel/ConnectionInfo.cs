using System.Text.Json.Nodes;

namespace Companion.Kernel;

/// <summary>
/// A Jupyter connection file: where the five channels listen and the key that signs messages
/// (Jupyter client docs, "Connection files"). The front end writes it and starts the kernel with its path.
/// </summary>
public sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int ControlPort, int IopubPort,
    int StdinPort, int HeartbeatPort, string Key, string SignatureScheme)
{
    /// <summary>Reads a connection file; a missing or malformed field is an error naming the field and the file.</summary>
    public static ConnectionInfo Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"connection file not found: {path}", path);
        JsonObject o;
        try { o = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new FormatException("empty"); }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"connection file {path} is not a JSON object: {e.Message}", e);
        }
        string Str(string name, string? fallback = null) =>
            o[name]?.GetValue<string>() ?? fallback ?? throw new FormatException($"connection file {path}: missing \"{name}\"");
        int Port(string name) => o[name] is JsonValue v && v.TryGetValue<int>(out var p) && p is > 0 and < 65536
            ? p : throw new FormatException($"connection file {path}: \"{name}\" must be a port number between 1 and 65535");
        var info = new ConnectionInfo(Str("transport", "tcp"), Str("ip", "127.0.0.1"), Port("shell_port"), Port("control_port"),
            Port("iopub_port"), Port("stdin_port"), Port("hb_port"), Str("key", ""), Str("signature_scheme", "hmac-sha256"));
        if (info.Transport != "tcp")
            throw new FormatException($"connection file {path}: transport \"{info.Transport}\" is not supported (only tcp)");
        return info;
    }

    /// <summary>The ZeroMQ address of a channel's port.</summary>
    public string Address(int port) => $"{Transport}://{Ip}:{port}";
}
