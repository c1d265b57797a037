using System;
using System.Globalization;
using System.Linq;
using System.Text;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Live;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// A session report in plain HTML: the summary `hinge history show` prints (reps, faults,
    /// worst angles against the thresholds the session was judged with, calibration), then every
    /// rep and every alert as tables.
    /// </summary>
    public sealed class SummaryReportRenderer : ISessionReportRenderer
    {
        public string Render(StoredSession s)
        {
            SessionSummary m = SessionSummary.Of(s);
            var b = new StringBuilder();
            b.Append($"<h1>Session #{m.Id}</h1>\n");
            b.Append("<table class=\"summary\">\n");
            Row(b, "source", $"{m.Source}: {m.Device}{(s.Summary.DeviceSessionId is int n ? $" (session {n} on the device)" : "")}");
            Row(b, "started", m.Started);
            Row(b, "duration", $"{m.DurationS / 60:0.0} min");
            Row(b, "reps", $"{m.CountedReps} ({m.FaultyReps} with a fault)");
            Row(b, "alerts", m.Alerts == 0 ? "none" : $"{m.Alerts} ({string.Join(", ", m.FaultsSeen.Select(Fault))})");
            Row(b, "deepest hinge (torso)", Deg(m.DeepestTorsoDeg));
            Row(b, "worst trunk flexion", $"{Deg(m.WorstTrunkFlexionDeg)} (threshold {Deg(s.ThresholdsDeg["back_rounding"])})");
            Row(b, "worst head flexion", $"{Deg(m.WorstHeadFlexionDeg)} (threshold {Deg(s.ThresholdsDeg["chin_drop"])})");
            Row(b, "calibration", s.Calibration.Count == 0 ? "none stored"
                : string.Join(", ", s.Calibration.Select(c => $"{LiveState.SegmentName(c.Segment)}: {(c.HasNeutral ? "neutral" : "-")}/{(c.HasHinge ? "hinge" : "-")}")));
            b.Append("</table>\n");

            b.Append("<h2>Reps</h2>\n");
            if (s.Reps.Count == 0) b.Append("<p class=\"empty\">No reps in this session.</p>\n");
            else
            {
                b.Append("<table class=\"reps\">\n<thead><tr><th>rep</th><th>counted</th><th>start</th><th>depth</th><th>down</th><th>bottom</th><th>up</th><th>trunk max</th><th>head max</th><th>faults</th></tr></thead>\n<tbody>\n");
                foreach (StoredRep r in s.Reps)
                {
                    b.Append(r.Faults.Count > 0 ? "<tr class=\"faulty\">" : "<tr>");
                    Cells(b, r.Number.ToString(CultureInfo.InvariantCulture), r.Counted ? "yes" : "no (too shallow)", Seconds(r.StartS), Deg(r.DepthDeg),
                        Seconds(r.DescentS), Seconds(r.BottomS), Seconds(r.AscentS), Deg(r.MaxTrunkFlexionDeg), Deg(r.MaxHeadFlexionDeg),
                        r.Faults.Count == 0 ? "–" : string.Join(", ", r.Faults.Select(Fault)));
                    b.Append("</tr>\n");
                }
                b.Append("</tbody>\n</table>\n");
            }

            b.Append("<h2>Alerts</h2>\n");
            if (s.Alerts.Count == 0) b.Append("<p class=\"empty\">No alerts: the dowel line held.</p>\n");
            else
            {
                b.Append("<table class=\"alerts\">\n<thead><tr><th>fault</th><th>from</th><th>to</th><th>peak</th><th>corrected</th></tr></thead>\n<tbody>\n");
                foreach (StoredAlert a in s.Alerts)
                {
                    b.Append("<tr>");
                    Cells(b, Fault(a.Fault), Seconds(a.StartS), Seconds(a.EndS), Deg(a.PeakDeg), a.Corrected ? "yes" : "no");
                    b.Append("</tr>\n");
                }
                b.Append("</tbody>\n</table>\n");
            }
            b.Append("<p><a href=\"/sessions\">← all sessions</a></p>");
            return HtmlPage.Wrap($"Session #{m.Id}", b.ToString());
        }

        private static void Row(StringBuilder b, string name, string value) =>
            b.Append("<tr><th>").Append(HtmlPage.Encode(name)).Append("</th><td>").Append(HtmlPage.Encode(value)).Append("</td></tr>\n");

        private static void Cells(StringBuilder b, params string[] values)
        {
            foreach (string v in values) b.Append("<td>").Append(HtmlPage.Encode(v)).Append("</td>");
        }

        // Stored names (back_rounding) as people write them.
        private static string Fault(string stored) => stored.Replace('_', ' ');

        // Math.Round first: "-0°" is a rounding artefact, not a direction.
        private static string Deg(double v) => double.IsNaN(v) ? "–" : (Math.Round(v) + 0.0).ToString("0", CultureInfo.InvariantCulture) + "°";

        private static string Seconds(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    }
}
