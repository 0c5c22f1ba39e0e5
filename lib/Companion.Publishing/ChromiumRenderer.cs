using System.Diagnostics;
using System.Globalization;

namespace Companion.Publishing;

/// <summary>Renders HTML files to PNG with headless Chromium (Debian package <c>chromium</c>), with no network use.</summary>
public static class ChromiumRenderer
{
    /// <summary>The Chromium executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    /// <summary>Screenshots <paramref name="htmlPath"/> into <paramref name="pngPath"/>; returns an error message or null.</summary>
    public static string? Render(string chromium, string htmlPath, string pngPath, int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("nbrun-chromium-");
        try
        {
            var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000",
                string.Create(CultureInfo.InvariantCulture, $"--window-size={width + 20},{height + 20}"),
                $"--screenshot={Path.GetFullPath(pngPath)}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
            }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(true); return "chromium timed out"; }
            return File.Exists(pngPath) && new FileInfo(pngPath).Length > 0 ? null : $"chromium exited with {p.ExitCode} and wrote no PNG";
        }
        finally
        {
            try { profile.Delete(true); } catch (IOException) { }
        }
    }
}
