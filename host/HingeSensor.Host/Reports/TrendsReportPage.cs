using System.Collections.Generic;
using System.Linq;
using System.Text;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// A wearer's sessions side by side as one self-contained HTML page: reps, fault rate and typical
    /// depth per session, as figures and as &lt;table id="sessions"&gt; (a data-session row per session
    /// with data-reps, data-faulty-reps, data-fault-rate and data-median-depth-deg). Figures:
    /// &lt;img id="plot-trend-reps|plot-trend-fault-rate|plot-trend-depth"&gt;.
    /// </summary>
    public static class TrendsReportPage
    {
        public const string TableId = "sessions";

        public static string Render(IReadOnlyList<StoredSession> sessions, ReportOptions? options = null) =>
            Build(sessions.Select(SessionTrend.Of).ToList(), options).Html;

        /// <summary>From the database (of one device, when given): what `hinge trends` writes.</summary>
        public static string Render(SessionDatabase db, string? device = null, ReportOptions? options = null) =>
            Build(SessionTrend.FromDatabase(db, device), options).Html;

        public static SessionReport Build(IReadOnlyList<SessionTrend> trends, ReportOptions? options = null)
        {
            IReadOnlyList<RenderedPlot> plots = TrendPlots.Render(trends, options);
            int reps = trends.Sum(t => t.CountedReps), faulty = trends.Sum(t => t.FaultyReps);
            var devices = trends.Select(t => t.Device).Distinct().ToList();
            var body = new StringBuilder();
            body.Append("<header>\n<h1>Trends over ").Append(trends.Count).Append(trends.Count == 1 ? " session" : " sessions").Append("</h1>\n")
                .Append("<p class=\"summary\">").Append(Html.Encode(string.Join(", ", devices))).Append(" · ")
                .Append(reps).Append(" counted reps, ").Append(faulty).Append(" with a fault")
                .Append(reps > 0 ? $" ({Html.Number(100.0 * faulty / reps, "0")} %)" : "")
                .Append("</p>\n</header>\n");
            body.Append("<section id=\"plots\">\n<h2>Session by session</h2>\n");
            foreach (RenderedPlot p in plots) Html.Figure(body, p, Caption(p.Id));
            body.Append("</section>\n<section id=\"session-table\">\n<h2>Sessions</h2>\n");
            WriteTable(body, trends);
            body.Append("<p class=\"note\"><code>hinge report N</code> shows one session in detail.</p>\n</section>\n");
            return new SessionReport(Html.Page("HingeSensor trends", body.ToString()), plots);
        }

        private static void WriteTable(StringBuilder html, IReadOnlyList<SessionTrend> trends)
        {
            html.Append("<table id=\"").Append(TableId).Append("\">\n<thead><tr><th>session</th><th class=\"text\">started</th><th class=\"text\">device / file</th>")
                .Append("<th>duration</th><th>reps</th><th>with a fault</th><th>fault rate</th><th>median depth</th><th>alerts</th>")
                .Append("<th>as a hinge</th><th>reached depth</th><th>finished tall</th><th>median descent</th></tr></thead>\n<tbody>\n");
            foreach (SessionTrend t in trends)
                html.Append("<tr data-session=\"").Append(t.SessionId).Append("\" data-reps=\"").Append(t.CountedReps)
                    .Append("\" data-faulty-reps=\"").Append(t.FaultyReps).Append("\" data-fault-rate=\"").Append(Html.Data(t.FaultRate))
                    .Append("\" data-median-depth-deg=\"").Append(Html.Data(t.MedianDepthDeg))
                    .Append("\" data-hinge-share=\"").Append(Html.Data(t.HingeShare)).Append("\" data-lockout-ok-share=\"").Append(Html.Data(t.LockoutOkShare)).Append("\">")
                    .Append("<td>#").Append(t.SessionId).Append("</td>")
                    .Append("<td class=\"text\">").Append(Html.Encode(t.Started)).Append("</td>")
                    .Append("<td class=\"text\">").Append(Html.Encode(t.Device)).Append("</td>")
                    .Append("<td>").Append(Html.Number(t.DurationS / 60, "0.0")).Append(" min</td>")
                    .Append("<td>").Append(t.CountedReps).Append("</td>")
                    .Append("<td>").Append(t.FaultyReps).Append("</td>")
                    .Append("<td>").Append(double.IsFinite(t.FaultRate) ? Html.Number(100 * t.FaultRate, "0") + " %" : "–").Append("</td>")
                    .Append("<td>").Append(Html.Deg(t.MedianDepthDeg)).Append("</td>")
                    .Append("<td>").Append(t.Alerts).Append("</td>")
                    .Append("<td>").Append(Percent(t.HingeShare)).Append("</td>")
                    .Append("<td>").Append(Percent(t.DepthReachedShare)).Append("</td>")
                    .Append("<td>").Append(Percent(t.LockoutOkShare)).Append("</td>")
                    .Append("<td>").Append(double.IsFinite(t.MedianDescentS) ? Html.Number(t.MedianDescentS, "0.0") + " s" : "–").Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }

        // A share of the reps the device judged; "–" when it judged none (sessions of firmware 1.x).
        private static string Percent(double share) => double.IsFinite(share) ? Html.Number(100 * share, "0") + " %" : "–";

        private static string Caption(string plotId) => plotId switch
        {
            TrendPlots.RepsId => "Counted reps per session; the red part of each bar is the reps with at least one fault.",
            TrendPlots.FaultRateId => "Faulty counted reps divided by counted reps. A session without reps leaves a gap.",
            TrendPlots.DepthId => "Median over the session's counted reps of the deepest torso angle (90° is a horizontal torso, the coached depth).",
            _ => "",
        };
    }
}
