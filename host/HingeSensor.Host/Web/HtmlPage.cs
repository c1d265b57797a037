using System.Net;
using System.Text;

namespace HingeSensor.Host.Web
{
    /// <summary>The frame every server-rendered page shares: head, style sheet, navigation.</summary>
    public static class HtmlPage
    {
        public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

        /// <param name="bodyHtml">Already encoded HTML.</param>
        public static string Wrap(string title, string bodyHtml)
        {
            var b = new StringBuilder();
            b.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            b.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            b.Append("<title>").Append(Encode(title)).Append(" · HingeSensor</title>\n");
            b.Append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">\n</head>\n<body>\n");
            b.Append("<header class=\"top\"><strong>HingeSensor</strong><nav><a href=\"/\">Live</a><a href=\"/sessions\">Sessions</a></nav></header>\n");
            b.Append("<main class=\"page\">\n").Append(bodyHtml).Append("\n</main>\n</body>\n</html>\n");
            return b.ToString();
        }
    }
}
