using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Companion.Data;

/// <summary>How one attempt to fetch a URL ended.</summary>
public enum DownloadOutcome
{
    /// <summary>The whole body is in the part file (not yet verified).</summary>
    Complete,

    /// <summary>The server answered with an error status (404, 500, …): try the next mirror.</summary>
    HttpError,

    /// <summary>No connection: name resolution failed, network unreachable, refused, or no answer in time. The host is
    /// not tried again in the same request.</summary>
    Unreachable,

    /// <summary>The transfer stopped part way; the part file is kept and the next attempt resumes it (HTTP Range).</summary>
    Cut,
}

/// <summary>The result of one attempt: outcome and a one-line reason.</summary>
public sealed record DownloadAttempt(DownloadOutcome Outcome, string Detail);

/// <summary>
/// Streams one URL into a part file with <see cref="HttpClient"/>, resuming an existing part with an HTTP Range request
/// (a server that ignores it and sends 200 restarts the file from zero). Connection attempts give up after the connect
/// timeout and every read after the read timeout, so a machine without network is recognised within seconds; progress
/// goes to a callback at most every 0.2 s.
/// </summary>
public sealed class Downloader : IDisposable
{
    readonly HttpClient http;
    readonly TimeSpan readTimeout;

    /// <param name="connectTimeout">Longest wait for a TCP/TLS connection.</param>
    /// <param name="readTimeout">Longest wait for response headers and for each read of the body.</param>
    /// <param name="handler">For tests; null for a <see cref="SocketsHttpHandler"/> with the connect timeout.</param>
    public Downloader(TimeSpan connectTimeout, TimeSpan readTimeout, HttpMessageHandler? handler = null)
    {
        this.readTimeout = readTimeout;
        http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Companion-datasets/1.0");
    }

    /// <summary>
    /// Fetches <paramref name="url"/> into <paramref name="partPath"/>, appending to what is already there.
    /// <paramref name="onBytes"/> gets (bytes in the part file, total or null, bytes per second of this transfer).
    /// </summary>
    public async Task<DownloadAttempt> FetchAsync(string url, string partPath, long? expectedSize,
        Action<long, long?, double>? onBytes, CancellationToken cancel = default)
    {
        long have = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
        if (expectedSize is long size && have > size)
        {
            File.Delete(partPath);
            have = 0;
        }
        if (expectedSize is long whole && have == whole && have > 0) return new(DownloadOutcome.Complete, "already complete");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        HttpResponseMessage response;
        using (var headers = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            headers.CancelAfter(readTimeout);
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                return new(e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or
                    HttpRequestError.SecureConnectionError ? DownloadOutcome.Unreachable : DownloadOutcome.Cut, Reason(e));
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return new(DownloadOutcome.Unreachable, $"no answer within {readTimeout.TotalSeconds:0} s");
            }
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
            {
                File.Delete(partPath);   // the part does not fit what the server has: start again
                return await FetchAsync(url, partPath, expectedSize, onBytes, cancel).ConfigureAwait(false);
            }
            if (!response.IsSuccessStatusCode)
                return new(DownloadOutcome.HttpError, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            bool append = response.StatusCode == HttpStatusCode.PartialContent && have > 0
                && response.Content.Headers.ContentRange?.From == have;
            if (!append) have = 0;
            long? total = response.Content.Headers.ContentRange?.Length
                ?? (response.Content.Headers.ContentLength is long n ? n + have : expectedSize);
            var clock = Stopwatch.StartNew();
            long fromThisTransfer = 0;
            var lastReport = TimeSpan.Zero;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
                await using var file = new FileStream(partPath, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                var buffer = new byte[1 << 16];
                while (true)
                {
                    int read;
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                    {
                        idle.CancelAfter(readTimeout);
                        read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    }
                    if (read == 0) break;
                    await file.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
                    fromThisTransfer += read;
                    if (onBytes is not null && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(0.2))
                    {
                        lastReport = clock.Elapsed;
                        onBytes(have + fromThisTransfer, total, fromThisTransfer / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
                    }
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                return new(DownloadOutcome.Cut, $"transfer stopped after {have + fromThisTransfer:N0} bytes ({Reason(e)}); the part is kept for resuming");
            }
            onBytes?.Invoke(have + fromThisTransfer, total, fromThisTransfer / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
            if (total is long t && have + fromThisTransfer < t)
                return new(DownloadOutcome.Cut, $"transfer stopped after {have + fromThisTransfer:N0} of {t:N0} bytes; the part is kept for resuming");
            return new(DownloadOutcome.Complete, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{fromThisTransfer:N0} bytes in {clock.Elapsed.TotalSeconds:0.00} s{(append ? $" (resumed at byte {have:N0})" : "")}"));
        }
    }

    static string Reason(Exception e)
    {
        var inner = e.InnerException is { } i && i.Message != e.Message ? $": {i.Message}" : "";
        return e is OperationCanceledException ? "no data for too long" : e.Message + inner;
    }

    public void Dispose() => http.Dispose();
}
