using System.Collections.Generic;
using System.Linq;
using System.Text;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// One session as a single self-contained HTML page: the angles over time with thresholds,
    /// alerts and reps; the rep table; the alerts; the calibration. The figures are PNGs inside the
    /// page (data: URIs), so the file can be mailed, archived or opened offline as it is.
    /// Stable hooks for other code: &lt;img id="plot-torso|plot-trunk|plot-head"&gt; with width and
    /// height equal to the PNG's, &lt;table id="reps"&gt; with a data-rep row per counted rep,
    /// &lt;table id="alerts"&gt;, &lt;section id="calibration"&gt;.
    /// </summary>
    public static class SessionReportPage
    {
        /// <summary>The whole page as a string: what `hinge report` writes and a web dashboard can serve.</summary>
        public static string Render(StoredSession s, ReportOptions? options = null) => Build(s, options).Html;

        /// <summary>The page and its figures.</summary>
        public static SessionReport Build(StoredSession s, ReportOptions? options = null)
        {
            IReadOnlyList<RenderedPlot> plots = SessionPlots.Render(s, options);
            var m = SessionSummary.Of(s);
            var body = new StringBuilder();
            body.Append("<header>\n<h1>Session #").Append(m.Id).Append("</h1>\n<p class=\"summary\">")
                .Append(Html.Encode($"{m.Source}: {m.Device}")).Append(" · started ").Append(Html.Encode(m.Started))
                .Append(" · ").Append(Html.Number(m.DurationS / 60, "0.0")).Append(" min · ")
                .Append(m.CountedReps).Append(m.CountedReps == 1 ? " rep" : " reps").Append(" (").Append(m.FaultyReps).Append(" with a fault) · ")
                .Append(m.Alerts).Append(m.Alerts == 1 ? " alert" : " alerts")
                .Append("</p>\n</header>\n");

            body.Append("<section id=\"plots\">\n<h2>Angles over time</h2>\n");
            foreach (RenderedPlot p in plots) Html.Figure(body, p, Caption(p.Id));
            body.Append("</section>\n");

            body.Append("<section id=\"rep-table\">\n<h2>Reps</h2>\n");
            RepTable.Write(body, s);
            body.Append("</section>\n<section id=\"alert-table\">\n<h2>Alerts</h2>\n");
            AlertTable.Write(body, s);
            body.Append("</section>\n");
            CalibrationSection.Write(body, s);
            return new SessionReport(Html.Page($"HingeSensor session #{m.Id}", body.ToString()), plots);
        }

        private static string Caption(string plotId)
        {
            const string common = " Shaded columns: alerts, coloured by fault. Grey lines: rep start (solid) and end (dotted).";
            return plotId switch
            {
                AnglePlots.TorsoId => "Upper back inclination from vertical (0° standing, 90° horizontal); counted reps are numbered at the top, red when faulty. "
                    + "Faults are judged only while the torso is past the dashed gate line." + common,
                AnglePlots.TrunkId => "Upper back relative to sacrum: the back rounding (lumbar and lower thoracic flexion). Above the red dashed line is back rounding." + common,
                AnglePlots.HeadId => "Head relative to upper back: positive is chin towards chest (chin drop above the upper red line), negative is the head cranked up (below the lower one)." + common,
                _ => "",
            };
        }
    }
}
