using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// The page frame and the small formatting rules the report pages share. Plain HTML and CSS with
    /// nothing fetched from anywhere: the file has to open offline, years later, on any browser.
    /// </summary>
    internal static class Html
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static string Encode(string text) => WebUtility.HtmlEncode(text);

        /// <summary>An angle for a table cell; a missing one (a sensor was not valid) shows as a dash.</summary>
        public static string Deg(double v) => double.IsFinite(v) ? NoNegativeZero(v, 1).ToString("0.0", Invariant) + "°" : "–";

        public static string Seconds(double v) => double.IsFinite(v) ? v.ToString("0.00", Invariant) + " s" : "–";

        public static string Number(double v, string format) => double.IsFinite(v) ? v.ToString(format, Invariant) : "–";

        // -0.04 shown to one decimal is "-0.0", which reads as a fault sign where there is none.
        private static double NoNegativeZero(double v, int decimals) => Math.Round(v, decimals) == 0 ? 0 : v;

        /// <summary>A machine-readable value for a data- attribute: invariant, "nan" when missing.</summary>
        public static string Data(double v) => double.IsFinite(v) ? v.ToString("R", Invariant) : "nan";

        public static void Figure(StringBuilder html, RenderedPlot plot, string caption)
        {
            html.Append("<figure><img id=\"").Append(plot.Id).Append("\" src=\"").Append(plot.DataUri)
                .Append("\" width=\"").Append(plot.Width).Append("\" height=\"").Append(plot.Height)
                .Append("\" alt=\"").Append(Encode(plot.Title)).Append("\">")
                .Append("<figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
        }

        public static string Page(string title, string body) => $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="hinge (HingeSensor host)">
            <title>{{Encode(title)}}</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 1.5rem auto; max-width: 1160px; padding: 0 1rem; color: #1d1d1d; }
            h1 { font-size: 1.5rem; margin-bottom: .25rem; }
            h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
            .summary { color: #444; margin-top: 0; }
            figure { margin: 1rem 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
            figcaption { font-size: .85rem; color: #555; }
            table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
            th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th { background: #f4f4f4; }
            td.text, th.text { text-align: left; }
            tr.faulty td { background: #fff1f0; }
            .fault { white-space: nowrap; display: inline-block; padding: 0 .4rem; border-radius: .6rem; color: #fff; font-size: .8rem; margin-right: .2rem; }
            .none { color: #2b7a2b; }
            .note { font-size: .85rem; color: #555; }
            @media print { figure { break-inside: avoid; } }
            </style>
            </head>
            <body>
            {{body}}</body>
            </html>

            """;

        /// <summary>A fault as a coloured badge, the colour its alerts have in the plots.</summary>
        public static string FaultBadge(string fault) =>
            $"<span class=\"fault\" style=\"background:{FaultLook.Colour(fault)}\">{Encode(FaultLook.Label(fault))}</span>";
    }
}
