using System.Collections.Generic;
using System.Linq;
using System.Text;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// One row per counted rep: how deep, how fast down and up, the worst trunk and head flexion,
    /// the faults judged, how the torso got down (pattern), how the rep finished, and a one-line verdict. Reps the counter rejected (too shallow, too short) are only counted in a
    /// note: they are not reps the wearer did, and their numbers would confuse the table.
    /// </summary>
    public static class RepTable
    {
        private static string PatternText(StoredRep r) => r.Pattern switch
        {
            "hinge" or "squat" or "stoop" => r.Pattern + (double.IsNaN(r.PelvisShare) ? "" : $" (pelvis {r.PelvisShare * 100:0} %)"),
            _ => "–",
        };

        private static string FinishText(string lockout) => lockout switch
        {
            "ok" => "tall",
            "incomplete" => "short of standing",
            "over_extension" => "leaning back",
            _ => "–",
        };

        public const string Id = "reps";

        public static IReadOnlyList<StoredRep> Rows(StoredSession s) => s.Reps.Where(r => r.Counted).ToList();

        public static void Write(StringBuilder html, StoredSession s)
        {
            var rows = Rows(s);
            if (rows.Count == 0)
            {
                html.Append("<p class=\"note\">No counted reps in this session.</p>\n");
                return;
            }
            html.Append("<table id=\"").Append(Id).Append("\">\n<thead><tr>")
                .Append("<th>rep</th><th>depth (torso)</th><th>descent</th><th>at the bottom</th><th>ascent</th>")
                .Append("<th>trunk flexion max</th><th>head flexion max</th><th>head flexion min</th><th class=\"text\">faults</th>")
                .Append("<th class=\"text\">pattern</th><th class=\"text\">finish</th><th class=\"text\">quality</th>")
                .Append("</tr></thead>\n<tbody>\n");
            foreach (StoredRep r in rows)
            {
                html.Append("<tr data-rep=\"").Append(r.Number).Append("\" data-faults=\"").Append(Html.Encode(string.Join(",", r.Faults)))
                    .Append("\" data-depth-deg=\"").Append(Html.Data(r.DepthDeg))
                    .Append("\" data-pattern=\"").Append(Html.Encode(r.Pattern)).Append("\" data-lockout=\"").Append(Html.Encode(r.Lockout)).Append('"')
                    .Append(r.Faults.Count > 0 ? " class=\"faulty\">" : ">")
                    .Append("<td>").Append(r.Number).Append("</td>")
                    .Append("<td>").Append(Html.Deg(r.DepthDeg)).Append("</td>")
                    .Append("<td>").Append(Html.Seconds(r.DescentS)).Append("</td>")
                    .Append("<td>").Append(Html.Seconds(r.BottomS)).Append("</td>")
                    .Append("<td>").Append(Html.Seconds(r.AscentS)).Append("</td>")
                    .Append("<td>").Append(Html.Deg(r.MaxTrunkFlexionDeg)).Append("</td>")
                    .Append("<td>").Append(Html.Deg(r.MaxHeadFlexionDeg)).Append("</td>")
                    .Append("<td>").Append(Html.Deg(r.MinHeadFlexionDeg)).Append("</td>")
                    .Append("<td class=\"text\">")
                    .Append(r.Faults.Count == 0 ? "<span class=\"none\">none</span>" : string.Concat(r.Faults.Select(Html.FaultBadge)))
                    .Append("</td><td class=\"text\">").Append(Html.Encode(PatternText(r)))
                    .Append("</td><td class=\"text\">").Append(Html.Encode(FinishText(r.Lockout)))
                    .Append("</td><td class=\"text\">").Append(Html.Encode(RepQuality.Summary(r)))
                    .Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
            int rejected = s.Reps.Count - rows.Count;
            if (rejected > 0)
                html.Append("<p class=\"note\">").Append(rejected).Append(rejected == 1 ? " movement was" : " movements were")
                    .Append(" not counted as a rep (too shallow or too short); the plots mark ").Append(rejected == 1 ? "it" : "them").Append(" in light grey.</p>\n");
        }
    }
}
