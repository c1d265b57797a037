using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Just enough HTML reading for the report pages, which keep to plain, unnested tags.</summary>
    public static class ReportHtml
    {
        private static readonly Regex Attribute = new("([a-zA-Z][a-zA-Z0-9-]*)=\"([^\"]*)\"");

        /// <summary>The attributes of every &lt;tag …&gt; in the text, values HTML-decoded.</summary>
        public static List<Dictionary<string, string>> Tags(string html, string tag) =>
            Regex.Matches(html, "<" + tag + @"\b[^>]*>").Select(m =>
                Attribute.Matches(m.Value).ToDictionary(a => a.Groups[1].Value, a => WebUtility.HtmlDecode(a.Groups[2].Value))).ToList();

        /// <summary>The element &lt;tag id="id"&gt;…&lt;/tag&gt;, or null; the report pages do not nest a tag in itself.</summary>
        public static string? Element(string html, string tag, string id)
        {
            int start = html.IndexOf($"<{tag} id=\"{id}\"", StringComparison.Ordinal);
            if (start < 0) return null;
            int end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
            return end < 0 ? null : html[start..(end + tag.Length + 3)];
        }

        /// <summary>Base64 payload of a data:image/png URI.</summary>
        public static byte[] PngData(string src)
        {
            const string prefix = "data:image/png;base64,";
            if (!src.StartsWith(prefix, StringComparison.Ordinal)) throw new FormatException("not an embedded PNG: " + src[..Math.Min(40, src.Length)]);
            return Convert.FromBase64String(src[prefix.Length..]);
        }
    }
}
