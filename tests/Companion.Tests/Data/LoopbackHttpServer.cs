using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Companion.Tests.Data;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 (port chosen by the system) for the download tests: serves byte arrays by
/// path, honours "Range: bytes=N-" with 206, can answer a path with an error status, cut the first transfers of a path
/// half way (closing the connection), or send slowly; it records every request (path and range start).
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();

    public LoopbackHttpServer()
    {
        listener.Start();
        _ = AcceptLoopAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>Paths answered with this status and an empty body.</summary>
    public ConcurrentDictionary<string, int> Status { get; } = new();

    /// <summary>Paths whose next N transfers stop half way through the body.</summary>
    public ConcurrentDictionary<string, int> CutNext { get; } = new();

    /// <summary>Pause before each 16 KiB of body (to make transfers overlap).</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Every request: path and the start of its Range (null without one).</summary>
    public ConcurrentQueue<(string Path, long? RangeFrom)> Requests { get; } = new();

    public int CountOf(string path) => Requests.Count(r => r.Path == path);

    async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var path = lines[0].Split(' ')[1].TrimStart('/');
                long? from = null;
                foreach (var l in lines.Skip(1))
                    if (l.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                        from = long.Parse(l["Range: bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
                Requests.Enqueue((path, from));
                if (Status.TryGetValue(path, out var code) || !Files.TryGetValue(path, out var body))
                {
                    code = code == 0 ? 404 : code;
                    await WriteAsync(stream, $"HTTP/1.1 {code} Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                long start = from ?? 0;
                if (start >= body.Length)
                {
                    await WriteAsync(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{body.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                long length = body.Length - start;
                var status = from is null ? "200 OK" : "206 Partial Content";
                var range = from is null ? "" : $"Content-Range: bytes {start}-{body.Length - 1}/{body.Length}\r\n";
                await WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n{range}Connection: close\r\n\r\n");
                bool cut = CutNext.TryGetValue(path, out var n) && n > 0 && CutNext.TryUpdate(path, n - 1, n);
                long end = cut ? start + length / 2 : body.Length;
                for (long at = start; at < end; at += 16384)
                {
                    int count = (int)Math.Min(16384, end - at);
                    if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay);
                    await stream.WriteAsync(body.AsMemory((int)at, count));
                }
                await stream.FlushAsync();
                if (cut) client.Client.LingerState = new LingerOption(true, 0);   // reset, as a dropped connection
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        }
    }

    static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            sb.Append((char)one[0]);
        return sb.ToString();
    }

    static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}
