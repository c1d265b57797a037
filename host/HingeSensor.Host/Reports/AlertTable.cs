using System.Text;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>Every alert the wearer felt: which fault, when, for how long, how far past the threshold, and whether they corrected it.</summary>
    public static class AlertTable
    {
        public const string Id = "alerts";

        public static void Write(StringBuilder html, StoredSession s)
        {
            if (s.Alerts.Count == 0)
            {
                html.Append("<p class=\"note\">No alerts: the dowel line held all session.</p>\n");
                return;
            }
            html.Append("<table id=\"").Append(Id).Append("\">\n<thead><tr><th class=\"text\">fault</th><th>from</th><th>to</th><th>lasted</th>")
                .Append("<th>worst angle</th><th class=\"text\">ended</th></tr></thead>\n<tbody>\n");
            foreach (StoredAlert a in s.Alerts)
                html.Append("<tr data-fault=\"").Append(Html.Encode(a.Fault)).Append("\" data-start-s=\"").Append(Html.Data(a.StartS))
                    .Append("\" data-end-s=\"").Append(Html.Data(a.EndS)).Append("\">")
                    .Append("<td class=\"text\">").Append(Html.FaultBadge(a.Fault)).Append("</td>")
                    .Append("<td>").Append(Html.Number(a.StartS, "0.0")).Append(" s</td>")
                    .Append("<td>").Append(Html.Number(a.EndS, "0.0")).Append(" s</td>")
                    .Append("<td>").Append(Html.Seconds(a.EndS - a.StartS)).Append("</td>")
                    .Append("<td>").Append(Html.Deg(a.PeakDeg)).Append("</td>")
                    .Append("<td class=\"text\">").Append(a.Corrected ? "corrected" : "not corrected").Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }
    }
}
