using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Companion.Notebooks;

/// <summary>
/// How a live front end (the Jupyter kernel) shows a chart so that it still draws after the notebook is saved and
/// reopened: every chart output stands alone. Its bundle carries Plotly's own MIME type
/// <c>application/vnd.plotly.v1+json</c> (data, layout, config: JupyterLab with Plotly's extension and VS Code draw it
/// themselves) beside <c>text/html</c> whose script finds plotly.js without relying on an earlier output — in this
/// order: <c>window.Plotly</c> if the page has it; the copy <c>companion-kernel install</c> writes as a classic-Notebook
/// nbextension (<c>{base_url}nbextensions/companion-csharp/plotly.min.js</c>); a <c>plotly.min.js</c> beside the
/// notebook (served by Jupyter at <c>{base_url}files/…</c>); last, the CDN. When none loads, the output says in red to
/// re-run the cell. Notebook's require.js is handled (plotly.js's UMD header would otherwise register an anonymous AMD
/// module and leave <c>Plotly</c> undefined).
/// </summary>
public static partial class ChartLoader
{
    /// <summary>Plotly's MIME type for a figure (<c>{"data": [...], "layout": {...}, "config": {...}}</c>).</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The nbextension folder <c>install</c> writes plotly.js into (also the kernelspec's name).</summary>
    public const string NbextensionName = "companion-csharp";

    /// <summary>The file name of plotly.js in the nbextension and beside a notebook.</summary>
    public const string PlotlyFileName = "plotly.min.js";

    /// <summary>The plotly.js version Plotly.NET embeds, and so the CDN address's.</summary>
    public const string PlotlyVersion = "2.28.0";

    /// <summary>What the output says when no copy of plotly.js could be loaded.</summary>
    public const string UnreachableMessage = "re-run this cell to draw the chart (plotly.js not reachable)";

    /// <summary>The CDN address, the last resort.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + PlotlyVersion + ".min.js";

    [GeneratedRegex(@"^(?<indent>[ \t]*)renderPlotly_(?<id>[A-Za-z0-9_]+)\(\);[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex RenderCall();

    [GeneratedRegex(@"var data = (?<data>\[.*?\]);\s*var layout = (?<layout>\{.*?\});\s*var config = (?<config>\{.*?\});", RegexOptions.Singleline)]
    private static partial Regex FigureParts();

    /// <summary>
    /// The chart HTML for a live front end: Plotly.NET's fragment (<paramref name="fragment"/>, a div and a script
    /// calling <c>Plotly.newPlot</c>) whose drawing waits for the loader, a hidden message shown when plotly.js is not
    /// reachable, and the loader itself (defined once per page, whichever output runs first). A fragment not in
    /// Plotly.NET's format is returned unchanged.
    /// </summary>
    public static string Html(string fragment)
    {
        var m = RenderCall().Match(fragment);
        if (!m.Success) return fragment;
        var id = m.Groups["id"].Value;
        var messageId = "companion-plotly-missing-" + id;
        var call = $"{m.Groups["indent"].Value}window.companionPlotly(renderPlotly_{id}, '{messageId}');";
        var drawn = fragment[..m.Index] + call + fragment[(m.Index + m.Length)..];
        return $"<div id=\"{messageId}\" class=\"companion-plotly-missing\" style=\"display:none;color:#b00020;font-style:italic\">" +
               $"{WebUtility.HtmlEncode(UnreachableMessage)}</div>\n" +
               $"<script type=\"text/javascript\">{Loader}</script>\n{drawn}";
    }

    /// <summary>
    /// Plotly's own MIME bundle entry for the fragment: <c>{"data", "layout", "config"}</c> read from Plotly.NET's
    /// <c>var data = …; var layout = …; var config = …;</c>; null when the fragment is not in that format.
    /// </summary>
    public static string? FigureJson(string fragment)
    {
        var m = FigureParts().Match(fragment);
        if (!m.Success) return null;
        try
        {
            var figure = new JsonObject
            {
                ["data"] = JsonNode.Parse(m.Groups["data"].Value),
                ["layout"] = JsonNode.Parse(m.Groups["layout"].Value),
                ["config"] = JsonNode.Parse(m.Groups["config"].Value),
            };
            return figure.ToJsonString();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Defines <c>window.companionPlotly(draw, messageId)</c> once per page: calls <c>draw</c> as soon as
    /// <c>window.Plotly</c> exists, loading plotly.js from the first reachable source (one load shared by every chart of
    /// the page); when all fail, shows the message element of every waiting chart (a later chart tries again).
    /// </summary>
    const string LoaderScript = """
        (function () {
          var w = window;
          if (w.companionPlotly) return;
          var waiting = [], loading = false;
          function baseUrl() {
            var b = document.body && document.body.getAttribute('data-base-url');
            if (!b) { var c = document.getElementById('jupyter-config-data'); if (c) { try { b = JSON.parse(c.textContent).baseUrl; } catch (e) {} } }
            if (!b) return null;
            return b.charAt(b.length - 1) === '/' ? b : b + '/';
          }
          function notebookFolder() {
            var p = null;
            try { if (w.Jupyter && w.Jupyter.notebook && typeof w.Jupyter.notebook.notebook_path === 'string') p = w.Jupyter.notebook.notebook_path; } catch (e) {}
            if (p === null && document.body) p = document.body.getAttribute('data-notebook-path');
            if (p === null) { var m = /\/(?:lab|doc|notebooks)(?:\/workspaces\/[^\/]+)?(?:\/tree)?\/(.*\.ipynb)$/.exec(w.location.pathname); if (m) { try { p = decodeURIComponent(m[1]); } catch (e) {} } }
            if (p === null) return null;
            return p.substring(0, p.lastIndexOf('/') + 1);
          }
          function sources() {
            var s = [], b = baseUrl(), f = notebookFolder();
            if (b) s.push(b + 'nbextensions/__NBEXT__/__FILE__');
            if (b && f !== null) s.push(b + 'files/' + f.split('/').map(encodeURIComponent).join('/') + '__FILE__');
            s.push('__CDN__');
            return s;
          }
          function load(url, ok, fail) {
            if (typeof w.define === 'function' && w.define.amd && typeof w.require === 'function') {
              w.require([url], function (P) { if (P && !w.Plotly) w.Plotly = P; if (w.Plotly) ok(); else fail(); },
                function () { try { w.requirejs.undef(url); } catch (e) {} fail(); });
              return;
            }
            var s = document.createElement('script');
            s.src = url; s.async = true;
            s.onload = function () { if (w.Plotly) ok(); else fail(); };
            s.onerror = fail;
            document.head.appendChild(s);
          }
          function settle(ok) {
            var all = waiting; waiting = []; loading = false;
            for (var i = 0; i < all.length; i++) {
              if (ok) { try { all[i].draw(); } catch (e) { if (w.console) w.console.error(e); } }
              else { var el = document.getElementById(all[i].message); if (el) el.style.display = 'block'; }
            }
          }
          w.companionPlotly = function (draw, message) {
            if (w.Plotly) { draw(); return; }
            waiting.push({ draw: draw, message: message });
            if (loading) return;
            loading = true;
            var list = sources(), i = 0;
            (function next() {
              if (w.Plotly) { settle(true); return; }
              if (i >= list.length) { settle(false); return; }
              load(list[i++], function () { settle(true); }, next);
            })();
          };
        })();
        """;

    static readonly string Loader = LoaderScript.Replace("__NBEXT__", NbextensionName, StringComparison.Ordinal)
        .Replace("__FILE__", PlotlyFileName, StringComparison.Ordinal).Replace("__CDN__", CdnUrl, StringComparison.Ordinal);
}
