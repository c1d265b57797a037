using HingeSensor.TestSupport;
using System.IO;
using System.Linq;
using HingeSensor.Host.Reports;
using Xunit;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>`hinge report` and `hinge trends` as a user runs them: the files they leave, and the ones they don't.</summary>
    [Collection(DemoSessionCollection.Name)]
    public class ReportCommandTests
    {
        private readonly DemoSessionFixture _demo;

        public ReportCommandTests(DemoSessionFixture demo) => _demo = demo;

        private string Id => _demo.DemoSessionId.ToString();

        [Fact]
        public void Report_with_png_writes_the_page_and_each_plot_at_the_same_size()
        {
            using var dir = new TempDir();
            string html = dir.File("report.html");
            var r = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", html, "--png");
            Assert.True(r.Code == 0, r.Err);
            string page = File.ReadAllText(html);
            var images = ReportHtml.Tags(page, "img");
            Assert.Equal(3, images.Count);
            foreach (var img in images)
            {
                string pngPath = dir.File("report." + img["id"] + ".png");
                Assert.Contains(pngPath, r.Out);
                byte[] file = File.ReadAllBytes(pngPath);
                Assert.Equal(ReportHtml.PngData(img["src"]), file);
                PngImage png = PngImage.Read(file);
                Assert.Equal((int.Parse(img["width"]), int.Parse(img["height"])), (png.Width, png.Height));
            }
            Assert.Equal(new[] { "report.html", "report.plot-head.png", "report.plot-torso.png", "report.plot-trunk.png" },
                Directory.GetFiles(dir.Path).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public void Report_without_png_writes_only_the_page_and_replaces_an_old_one()
        {
            using var dir = new TempDir();
            string html = dir.File("old.html");
            File.WriteAllText(html, "an older report");
            var r = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", html);
            Assert.True(r.Code == 0, r.Err);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html));
            Assert.Equal(new[] { html }, Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void An_unknown_session_is_exit_1_with_a_message_and_no_file()
        {
            using var dir = new TempDir();
            var r = CliTests.Hinge("report", "999", "--db", _demo.DbPath, "--out", dir.File("r.html"));
            Assert.Equal(1, r.Code);
            Assert.Contains("no session #999", r.Err);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        }

        [Fact]
        public void An_unwritable_out_is_exit_2_with_a_message_and_leaves_nothing()
        {
            using var dir = new TempDir();
            // Tests may run as root, whom permissions do not stop: a file where a folder should be stops everyone.
            File.WriteAllText(dir.File("not-a-folder"), "x");
            var r = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", dir.File("not-a-folder/report.html"), "--png");
            Assert.Equal(2, r.Code);
            Assert.Contains("cannot write", r.Err);
            Assert.Contains("not-a-folder", r.Err);
            Assert.Equal(new[] { dir.File("not-a-folder") }, Directory.GetFileSystemEntries(dir.Path));

            var missing = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", dir.File("no/such/folder/report.html"));
            Assert.Equal(2, missing.Code);
            Assert.Contains("does not exist", missing.Err);

            var folder = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", dir.Path);
            Assert.Equal(2, folder.Code);
            Assert.Contains("is a directory", folder.Err);
            Assert.Equal(new[] { dir.File("not-a-folder") }, Directory.GetFileSystemEntries(dir.Path));
        }

        [Fact]
        public void A_failed_write_leaves_the_old_report_intact_and_no_new_file()
        {
            using var dir = new TempDir();
            string html = dir.File("report.html");
            File.WriteAllText(html, "the report from last week");
            // A directory where the last PNG should go: found before anything is written.
            Directory.CreateDirectory(dir.File("report." + AnglePlots.HeadId + ".png"));
            var r = CliTests.Hinge("report", Id, "--db", _demo.DbPath, "--out", html, "--png");
            Assert.Equal(2, r.Code);
            Assert.Contains("in the way", r.Err);
            Assert.Equal("the report from last week", File.ReadAllText(html));
            Assert.Equal(new[] { html }, Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void Trends_writes_a_page_over_the_stored_sessions_and_refuses_an_unknown_device()
        {
            using var dir = new TempDir();
            var r = CliTests.Hinge("trends", "--db", _demo.DbPath, "--out", dir.File("trends.html"), "--png");
            Assert.True(r.Code == 0, r.Err);
            string page = File.ReadAllText(dir.File("trends.html"));
            Assert.Equal(2, ReportHtml.Tags(page, "tr").Count(t => t.ContainsKey("data-session")));
            foreach (string id in new[] { TrendPlots.RepsId, TrendPlots.FaultRateId, TrendPlots.DepthId })
                Assert.Equal((ReportOptions.Default.PlotWidth, ReportOptions.Default.PlotHeight), Size(File.ReadAllBytes(dir.File($"trends.{id}.png"))));

            var one = CliTests.Hinge("trends", "--db", _demo.DbPath, "--out", dir.File("device.html"), "--device", "HS1-VIRTUAL");
            Assert.True(one.Code == 0, one.Err);
            Assert.Single(ReportHtml.Tags(File.ReadAllText(dir.File("device.html")), "tr"), t => t.ContainsKey("data-session"));

            var none = CliTests.Hinge("trends", "--db", _demo.DbPath, "--out", dir.File("none.html"), "--device", "HS1-NOBODY");
            Assert.Equal(1, none.Code);
            Assert.Contains("no sessions of 'HS1-NOBODY'", none.Err);
            Assert.False(File.Exists(dir.File("none.html")));
        }

        private static (int, int) Size(byte[] png)
        {
            PngImage image = PngImage.Read(png);
            return (image.Width, image.Height);
        }
    }
}
