using System;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace HingeSensor.Server.Views
{
    /// <summary>The coach pages' frame and formatting: plain HTML, the stylesheet /coach.css, no script.</summary>
    internal static class ViewHtml
    {
        /// <summary>For pages that embed PNG figures as data: URIs (the host draws them): everything else stays 'self'.</summary>
        public const string FiguresPolicy = "default-src 'self'; img-src 'self' data:; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

        /// <summary>For the host's report page, self-contained by design: its inline style and data: figures, nothing fetched, no script.</summary>
        public const string ReportPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        public const string Stylesheet = """
            body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 1.5rem auto; max-width: 1160px; padding: 0 1rem; color: #1d1d1d; }
            h1 { font-size: 1.5rem; margin-bottom: .25rem; }
            h2 { font-size: 1.15rem; margin-top: 2rem; }
            nav a { margin-right: 1rem; }
            table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
            th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th { background: #f4f4f4; }
            td.text, th.text { text-align: left; }
            .better { color: #2b7a2b; } .worse { color: #b3261e; } .steady, .none { color: #555; }
            figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
            .note { font-size: .85rem; color: #555; }
            """;

        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static string E(string s) => WebUtility.HtmlEncode(s);

        public static string Percent(double? share) => share is double v ? (100 * v).ToString("0", Invariant) + " %" : "–";

        public static string Number(double? v, string format) => v is double d && double.IsFinite(d) ? d.ToString(format, Invariant) : "–";

        /// <summary>A value for a data- attribute: invariant, empty when there is none.</summary>
        public static string Data(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", Invariant) : "";

        public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant);

        public static IResult Page(HttpContext ctx, string title, string body, int status = StatusCodes.Status200OK, string? policy = null)
        {
            if (policy != null) ctx.Response.Headers.ContentSecurityPolicy = policy;
            return Results.Content(
                $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + $"<title>{E(title)}</title><link rel=\"stylesheet\" href=\"/coach.css\"></head><body>"
                + "<nav><a href=\"/\">Home</a></nav>"
                + $"<h1>{E(title)}</h1>{body}</body></html>",
                "text/html; charset=utf-8", Encoding.UTF8, status);
        }

        /// <summary>What one may not see is answered as what does not exist: 404, the same sentence.</summary>
        public static IResult NotFound(HttpContext ctx, string what) =>
            Page(ctx, "Not found", $"<p>{E(what)}: there is none, or it is not yours to see.</p>", StatusCodes.Status404NotFound);
    }
}
