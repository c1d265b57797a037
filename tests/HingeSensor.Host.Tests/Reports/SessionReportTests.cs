using System.Linq;
using System.Text.RegularExpressions;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>The report of a real stored session (the demo workout), read back as a browser and a reader would.</summary>
    [Collection(DemoSessionCollection.Name)]
    public class SessionReportTests
    {
        private readonly DemoSessionFixture _demo;
        private readonly ITestOutputHelper _output;

        public SessionReportTests(DemoSessionFixture demo, ITestOutputHelper output)
        {
            _demo = demo;
            _output = output;
        }

        private string Page => _demo.DemoReport.Html;

        [Fact]
        public void The_page_is_self_contained()
        {
            Assert.StartsWith("<!DOCTYPE html>", Page);
            // Nothing is fetched: no address in any src or href, no stylesheet, script or font from elsewhere.
            Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*""?\s*(https?:)?//", RegexOptions.IgnoreCase), Page);
            Assert.DoesNotMatch(new Regex(@"url\(|@import|<link\b|<script\b", RegexOptions.IgnoreCase), Page);
            Assert.DoesNotContain("http://", Page);
            Assert.DoesNotContain("https://", Page);
            Assert.All(ReportHtml.Tags(Page, "img"), img => Assert.StartsWith("data:image/png;base64,", img["src"]));
        }

        [Fact]
        public void Every_plot_is_a_png_of_its_declared_and_intended_size_and_not_blank()
        {
            var images = ReportHtml.Tags(Page, "img");
            Assert.Equal(new[] { AnglePlots.TorsoId, AnglePlots.TrunkId, AnglePlots.HeadId }, images.Select(i => i["id"]));
            foreach (var img in images)
            {
                PngImage png = PngImage.Read(ReportHtml.PngData(img["src"]));
                Assert.Equal(int.Parse(img["width"]), png.Width);
                Assert.Equal(int.Parse(img["height"]), png.Height);
                Assert.Equal(ReportOptions.Default.PlotWidth, png.Width);
                Assert.Equal(ReportOptions.Default.PlotHeight, png.Height);
                // A trace, shaded spans, dashed lines and anti-aliased text make hundreds of colours; a blank or failed render a handful.
                Assert.True(png.DistinctColours > 100, $"{img["id"]}: only {png.DistinctColours} colours");
                _output.WriteLine($"{img["id"]}: {png.Width}×{png.Height}, {ReportHtml.PngData(img["src"]).Length} bytes, {png.DistinctColours} colours");
            }
            _output.WriteLine($"page: {Page.Length} characters; first render {_demo.FirstRenderTime.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void The_rep_table_has_one_row_per_counted_rep_with_its_faults()
        {
            string table = ReportHtml.Element(Page, "table", RepTable.Id)!;
            Assert.NotNull(table);
            var rows = ReportHtml.Tags(table, "tr").Where(r => r.ContainsKey("data-rep")).ToList();
            var counted = _demo.Demo.Reps.Where(r => r.Counted).ToList();
            Assert.Equal(15, counted.Count);
            Assert.Equal(counted.Select(r => r.Number.ToString()), rows.Select(r => r["data-rep"]));
            Assert.Equal(counted.Select(r => string.Join(",", r.Faults)), rows.Select(r => r["data-faults"]));
            // Each alert (stored separately, from the device's events) happened within a rep that carries its fault.
            Assert.NotEmpty(_demo.Demo.Alerts);
            foreach (StoredAlert a in _demo.Demo.Alerts)
            {
                StoredRep rep = counted.Single(r => r.StartS <= a.StartS && a.StartS <= r.EndS);
                Assert.Contains(a.Fault, rows.Single(r => r["data-rep"] == rep.Number.ToString())["data-faults"].Split(','));
            }
            Assert.Equal(counted.Count(r => r.Faults.Count > 0), Regex.Matches(table, "<tr [^>]*class=\"faulty\"").Count);
        }

        [Fact]
        public void The_calibration_used_and_the_thresholds_are_shown()
        {
            string section = ReportHtml.Element(Page, "section", CalibrationSection.Id)!;
            Assert.NotNull(section);
            var segments = ReportHtml.Tags(section, "tr").Where(r => r.ContainsKey("data-segment")).ToList();
            Assert.Equal(new[] { "0", "1", "2" }, segments.Select(r => r["data-segment"]));
            Assert.All(_demo.Demo.Calibration, c => Assert.True(c.HasNeutral && c.HasHinge));
            Assert.Contains("upper back", section);
            var thresholds = ReportHtml.Tags(section, "tr").Where(r => r.ContainsKey("data-threshold")).ToDictionary(r => r["data-threshold"], r => double.Parse(r["data-value-deg"]));
            Assert.Equal(_demo.Demo.ThresholdsDeg.OrderBy(t => t.Key), thresholds.OrderBy(t => t.Key));
        }

        [Fact]
        public void Every_alert_is_shaded_and_the_thresholds_sit_at_the_configured_angles()
        {
            StoredSession s = _demo.Demo;
            var plots = AnglePlots.For(s).ToDictionary(p => p.Id);
            Assert.NotEmpty(s.Alerts);

            // The torso figure is the overview: every alert; the others: the alerts about their angle.
            Assert.Equal(s.Alerts.Select(a => (a.Fault, a.StartS, a.EndS)), plots[AnglePlots.TorsoId].AlertSpans.Select(a => (a.Fault, a.StartS, a.EndS)));
            Assert.Equal(s.Alerts.Count(a => a.Fault == "back_rounding"), plots[AnglePlots.TrunkId].AlertSpans.Count);
            Assert.Equal(s.Alerts.Count(a => a.Fault is "chin_drop" or "head_up"), plots[AnglePlots.HeadId].AlertSpans.Count);
            Assert.Equal(s.Alerts.Count, plots[AnglePlots.TrunkId].AlertSpans.Count + plots[AnglePlots.HeadId].AlertSpans.Count);

            Assert.Equal(new[] { (s.ThresholdsDeg["gate_open_torso"], FaultZone.None) }, plots[AnglePlots.TorsoId].Thresholds.Select(t => (t.ValueDeg, t.Zone)));
            Assert.Equal(new[] { (s.ThresholdsDeg["back_rounding"], FaultZone.Above) }, plots[AnglePlots.TrunkId].Thresholds.Select(t => (t.ValueDeg, t.Zone)));
            Assert.Equal(new[] { (s.ThresholdsDeg["chin_drop"], FaultZone.Above), (-s.ThresholdsDeg["head_up"], FaultZone.Below) },
                plots[AnglePlots.HeadId].Thresholds.Select(t => (t.ValueDeg, t.Zone)));

            foreach (AnglePlot p in plots.Values)
            {
                Assert.Equal(s.Reps.Select(r => (r.Number, r.StartS, r.EndS)), p.Reps.Select(r => (r.Number, r.StartS, r.EndS)));
                Assert.Equal(s.Frames.Count, p.AnglesDeg.Count);
                Assert.All(p.Thresholds, t => Assert.InRange(t.ValueDeg, p.MinDeg, p.MaxDeg));
                Assert.InRange(p.AnglesDeg.Where(double.IsFinite).Max(), p.MinDeg, p.MaxDeg);
                Assert.True(p.EndS >= s.Alerts.Max(a => a.EndS) && p.EndS >= s.Reps.Max(r => r.EndS));
            }
            Assert.Equal(s.Frames.Select(f => (double)f.UpperSag), plots[AnglePlots.TorsoId].AnglesDeg);
            Assert.Equal(s.Frames.Select(f => (double)f.TrunkFlexion), plots[AnglePlots.TrunkId].AnglesDeg);
            Assert.Equal(s.Frames.Select(f => (double)f.HeadFlexion), plots[AnglePlots.HeadId].AnglesDeg);
        }

        [Fact]
        public void The_alert_table_lists_every_alert()
        {
            string table = ReportHtml.Element(Page, "table", AlertTable.Id)!;
            var rows = ReportHtml.Tags(table, "tr").Where(r => r.ContainsKey("data-fault")).ToList();
            Assert.Equal(_demo.Demo.Alerts.Select(a => a.Fault), rows.Select(r => r["data-fault"]));
            Assert.Equal(_demo.Demo.Alerts.Select(a => a.StartS), rows.Select(r => double.Parse(r["data-start-s"])));
        }

        [Fact]
        public void Rendering_again_gives_the_same_page_and_takes_little_time()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string again = SessionReportPage.Render(_demo.Demo);
            _output.WriteLine($"first render {_demo.FirstRenderTime.TotalMilliseconds:0} ms, second {clock.ElapsedMilliseconds} ms, {again.Length} characters");
            Assert.Equal(Page, again);
        }
    }
}
