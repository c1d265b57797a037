using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using Xunit;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Trends over several sessions: each number checked against the stored reps it comes from.</summary>
    [Collection(DemoSessionCollection.Name)]
    public class TrendsReportTests
    {
        private readonly DemoSessionFixture _demo;

        public TrendsReportTests(DemoSessionFixture demo) => _demo = demo;

        [Fact]
        public void Each_session_shows_its_reps_fault_rate_and_median_depth_from_the_stored_reps()
        {
            using var db = new SessionDatabase(_demo.DbPath);
            var sessions = db.ListSessions().Select(s => db.GetSession(s.Id)!).ToList();
            Assert.Equal(2, sessions.Count);
            string page = TrendsReportPage.Render(db);
            Assert.Equal(page, TrendsReportPage.Render(sessions));

            var rows = ReportHtml.Tags(ReportHtml.Element(page, "table", TrendsReportPage.TableId)!, "tr").Where(r => r.ContainsKey("data-session")).ToList();
            Assert.Equal(sessions.Select(s => s.Summary.Id.ToString()), rows.Select(r => r["data-session"]));
            foreach (StoredSession s in sessions)
            {
                var row = rows.Single(r => r["data-session"] == s.Summary.Id.ToString());
                var counted = s.Reps.Where(r => r.Counted).ToList();
                Assert.True(counted.Count > 0);
                int faulty = counted.Count(r => r.Faults.Count > 0);
                // The median written out by hand: sort, take the middle (or the mean of the middle two).
                var depths = counted.Select(r => r.DepthDeg).OrderBy(d => d).ToList();
                double median = depths.Count % 2 == 1 ? depths[depths.Count / 2] : (depths[depths.Count / 2 - 1] + depths[depths.Count / 2]) / 2;

                Assert.Equal(counted.Count, int.Parse(row["data-reps"]));
                Assert.Equal(s.Summary.CountedReps, counted.Count);
                Assert.Equal(faulty, int.Parse(row["data-faulty-reps"]));
                Assert.Equal((double)faulty / counted.Count, Parse(row["data-fault-rate"]), 12);
                Assert.Equal(median, Parse(row["data-median-depth-deg"]), 12);

                SessionTrend t = SessionTrend.Of(s);
                Assert.Equal((counted.Count, faulty), (t.CountedReps, t.FaultyReps));
                Assert.Equal(median, t.MedianDepthDeg, 12);
            }
            var images = ReportHtml.Tags(page, "img");
            Assert.Equal(new[] { TrendPlots.RepsId, TrendPlots.FaultRateId, TrendPlots.DepthId }, images.Select(i => i["id"]));
            Assert.All(images, img => Assert.True(PngImage.Read(ReportHtml.PngData(img["src"])).DistinctColours > 20));
        }

        [Fact]
        public void Known_sessions_give_known_numbers()
        {
            // Four counted reps, depths 70..100: the median is the mean of 80 and 90; one of four faulty.
            var a = SyntheticSession.Make(1, new[]
            {
                SyntheticSession.Rep(1, 1, 90), SyntheticSession.Rep(2, 6, 70, "back_rounding"), SyntheticSession.Rep(3, 11, 100),
                SyntheticSession.Rep(4, 16, 80), SyntheticSession.Uncounted(5, 21),
            });
            // Three reps, two faulty (one with two faults): median 75.
            var b = SyntheticSession.Make(2, new[]
            {
                SyntheticSession.Rep(1, 1, 75, "back_rounding", "chin_drop"), SyntheticSession.Rep(2, 6, 60, "chin_drop"), SyntheticSession.Rep(3, 11, 95),
            });
            var empty = SyntheticSession.Make(3, Array.Empty<StoredRep>());

            var trends = new[] { a, b, empty }.Select(SessionTrend.Of).ToList();
            Assert.Equal((4, 1, 0.25, 85.0), (trends[0].CountedReps, trends[0].FaultyReps, trends[0].FaultRate, trends[0].MedianDepthDeg));
            Assert.Equal((3, 2, 75.0), (trends[1].CountedReps, trends[1].FaultyReps, trends[1].MedianDepthDeg));
            Assert.Equal(2.0 / 3, trends[1].FaultRate, 12);
            Assert.Equal(0, trends[2].CountedReps);
            Assert.True(double.IsNaN(trends[2].FaultRate) && double.IsNaN(trends[2].MedianDepthDeg));

            // A session without reps is a row with dashes and a gap in the lines, not a zero.
            string page = TrendsReportPage.Render(new[] { a, b, empty });
            var row = ReportHtml.Tags(page, "tr").Single(r => r.GetValueOrDefault("data-session") == "3");
            Assert.Equal(("0", "nan", "nan"), (row["data-reps"], row["data-fault-rate"], row["data-median-depth-deg"]));
            Assert.Contains("7 counted reps, 3 with a fault (43 %)", page);
        }

        [Fact]
        public void A_single_session_makes_a_trend_page_too()
        {
            var s = SyntheticSession.Make(4, new[] { SyntheticSession.Rep(1, 1, 88) });
            string page = TrendsReportPage.Render(new[] { s }, new ReportOptions { PlotWidth = 700, PlotHeight = 240 });
            Assert.All(ReportHtml.Tags(page, "img"), img => Assert.Equal((700, 240), (PngImage.Read(ReportHtml.PngData(img["src"])).Width, PngImage.Read(ReportHtml.PngData(img["src"])).Height)));
            Assert.Contains("Trends over 1 session<", page);
        }

        [Fact]
        public void Median_of_an_odd_and_an_even_count_and_of_nothing()
        {
            Assert.Equal(3, SessionTrend.Median(new[] { 5.0, 1, 3 }));
            Assert.Equal(2.5, SessionTrend.Median(new[] { 4.0, 1, 3, 2 }));
            Assert.Equal(2, SessionTrend.Median(new[] { double.NaN, 1, 3 }));
            Assert.True(double.IsNaN(SessionTrend.Median(Array.Empty<double>())));
        }

        private static double Parse(string v) => double.Parse(v, CultureInfo.InvariantCulture);
    }
}
