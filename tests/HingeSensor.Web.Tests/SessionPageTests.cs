using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests
{
    /// <summary>The stored sessions: the list and a report, from a database filled the way `hinge analyze --save` fills it.</summary>
    [Collection("dashboard")]
    public class SessionPageTests
    {
        private readonly BrowserFixture _browser;

        public SessionPageTests(BrowserFixture browser) => _browser = browser;

        /// <summary>A database holding one analysed session of the rounding scenario (three reps, one back-rounding alert).</summary>
        private static string AnalysedSession(string dir)
        {
            string raw = Path.Combine(dir, "raw.csv"), db = Path.Combine(dir, "sessions.db");
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.True(HingeCli.Run(new[] { "simulate", "--scenario", "web/rounding", "--out", raw, "--labels", Path.Combine(dir, "labels.json") }, o, e) == 0, e.ToString());
            Assert.True(HingeCli.Run(new[] { "analyze", "--input", raw, "--out", Path.Combine(dir, "result.json"), "--save", "--db", db }, o, e) == 0, e.ToString());
            return db;
        }

        [SkippableFact]
        public async Task The_session_list_shows_the_database_and_opens_a_report_with_reps_and_alerts()
        {
            IBrowser browser = _browser.Browser;
            using var dir = new TempDir();
            await using var dash = await TestDashboard.StartAsync(database: AnalysedSession(dir.Path));
            IPage page = await _browser.NewPageAsync();
            await page.GotoAsync(dash.Url + "/sessions");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Sessions");
            ILocator row = page.Locator("table.sessions tbody tr");
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync("raw.csv");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("sessions.png") });

            await row.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page).ToHaveURLAsync(dash.Url + "/sessions/1");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Session #1");
            await Expect(page.Locator("table.summary")).ToContainTextAsync("3 (1 with a fault)");
            await Expect(page.Locator("table.summary")).ToContainTextAsync("threshold 20°");
            await Expect(page.Locator("table.reps tbody tr")).ToHaveCountAsync(3);
            await Expect(page.Locator("table.reps tr.faulty")).ToContainTextAsync("back rounding");
            await Expect(page.Locator("table.alerts tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("table.alerts")).ToContainTextAsync("back rounding");
        }

        [Fact]
        public async Task Unknown_sessions_and_assets_are_404()
        {
            await using var dash = await TestDashboard.StartAsync();
            using var http = new HttpClient();
            HttpResponseMessage missing = await http.GetAsync(dash.Url + "/sessions/999");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("No session #999", await missing.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(dash.Url + "/sessions/abc")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(dash.Url + "/assets/nothing.js")).StatusCode);
            HttpResponseMessage list = await http.GetAsync(dash.Url + "/sessions");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains("No sessions yet", await list.Content.ReadAsStringAsync());
        }
    }
}
