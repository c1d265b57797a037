using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using Xunit;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Sessions the demo never produces still give a whole, readable page.</summary>
    public class SessionReportEdgeTests
    {
        [Fact]
        public void Plots_take_the_size_asked_for()
        {
            var s = SyntheticSession.Make(7, new[] { SyntheticSession.Rep(1, 2, 80) });
            var options = new ReportOptions { PlotWidth = 640, PlotHeight = 220 };
            string page = SessionReportPage.Render(s, options);
            var images = ReportHtml.Tags(page, "img");
            Assert.Equal(3, images.Count);
            foreach (var img in images)
            {
                PngImage png = PngImage.Read(ReportHtml.PngData(img["src"]));
                Assert.Equal((640, 220), (png.Width, png.Height));
                Assert.Equal(("640", "220"), (img["width"], img["height"]));
            }
        }

        [Fact]
        public void A_session_without_reps_alerts_or_calibration_still_reports()
        {
            var s = SyntheticSession.Make(8, Array.Empty<StoredRep>());
            string page = SessionReportPage.Render(s);
            Assert.Equal(3, ReportHtml.Tags(page, "img").Count);
            Assert.Null(ReportHtml.Element(page, "table", RepTable.Id));
            Assert.Contains("No counted reps", page);
            Assert.Contains("No alerts", page);
            Assert.Contains("id=\"no-calibration\"", page);
            Assert.NotNull(ReportHtml.Element(page, "section", CalibrationSection.Id));
        }

        [Fact]
        public void A_session_without_frames_draws_empty_axes_with_its_thresholds()
        {
            var s = SyntheticSession.Make(9, new[] { SyntheticSession.Rep(1, 2, 80) }, frames: Array.Empty<StoredFrame>());
            var plots = SessionPlots.Render(s);
            Assert.All(plots, p => Assert.True(PngImage.Read(p.Png).DistinctColours > 10));
            Assert.All(AnglePlots.For(s), p => Assert.True(p.EndS > p.StartS));
        }

        [Fact]
        public void Invalid_sensor_frames_leave_gaps_and_missing_values_show_as_dashes()
        {
            var reps = new[] { SyntheticSession.Rep(1, 1, 80), SyntheticSession.Rep(2, 6, double.NaN) };
            var s = SyntheticSession.Make(10, reps);
            AnglePlot head = AnglePlots.For(s).Single(p => p.Id == AnglePlots.HeadId);
            Assert.Contains(head.AnglesDeg, double.IsNaN);
            Assert.True(double.IsFinite(head.MinDeg) && double.IsFinite(head.MaxDeg));
            string table = ReportHtml.Element(SessionReportPage.Render(s), "table", RepTable.Id)!;
            Assert.Contains("<td>–</td>", table);
            Assert.Equal("nan", ReportHtml.Tags(table, "tr").Single(r => r.GetValueOrDefault("data-rep") == "2")["data-depth-deg"]);
        }

        [Fact]
        public void Uncounted_movements_are_marked_in_the_plots_but_not_rows_of_the_table()
        {
            var reps = new[] { SyntheticSession.Rep(1, 1, 80), SyntheticSession.Uncounted(2, 6), SyntheticSession.Rep(3, 11, 85, "chin_drop") };
            var s = SyntheticSession.Make(11, reps);
            Assert.All(AnglePlots.For(s), p => Assert.Equal(3, p.Reps.Count));
            string page = SessionReportPage.Render(s);
            var rows = ReportHtml.Tags(ReportHtml.Element(page, "table", RepTable.Id)!, "tr").Where(r => r.ContainsKey("data-rep")).ToList();
            Assert.Equal(new[] { "1", "3" }, rows.Select(r => r["data-rep"]));
            Assert.Contains("1 movement was not counted", page);
        }

        [Fact]
        public void Names_from_the_database_are_escaped()
        {
            var alert = new StoredAlert("<b>new_fault</b>", 2, 2, 3, 25, false);
            var s = SyntheticSession.Make(12, new[] { SyntheticSession.Rep(1, 1, 80, "<b>new_fault</b>") }, new[] { alert }, device: "<script>alert(1)</script>");
            string page = SessionReportPage.Render(s);
            Assert.DoesNotContain("<script>", page);
            Assert.DoesNotContain("<b>new", page);
            Assert.Contains("&lt;script&gt;", page);
            // A fault this build does not know is still shaded, on the overview figure.
            Assert.Single(AnglePlots.For(s).Single(p => p.Id == AnglePlots.TorsoId).AlertSpans);
        }

        [Fact]
        public void Impossible_plot_sizes_are_refused()
        {
            var s = SyntheticSession.Make(13, Array.Empty<StoredRep>());
            Assert.Throws<ArgumentOutOfRangeException>(() => SessionReportPage.Render(s, new ReportOptions { PlotWidth = 10 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => SessionReportPage.Render(s, new ReportOptions { PlotHeight = 100_000 }));
        }
    }
}
