using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Web;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests
{
    /// <summary>The stored sessions: the list and a report, from a database filled the way `hinge analyze --save` fills it.</summary>
    [Collection("dashboard")]
    public class SessionPageTests : IClassFixture<AnalysedSessionFixture>
    {
        private readonly BrowserFixture _browser;
        private readonly string _database;

        public SessionPageTests(BrowserFixture browser, AnalysedSessionFixture session)
        {
            _browser = browser;
            _database = session.DatabasePath;
        }

        [SkippableFact]
        public async Task The_session_list_shows_the_database_and_opens_a_report_with_reps_and_alerts()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync(database: _database);
            await page.GotoAsync(dash.Url + "/sessions");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Sessions");
            ILocator row = page.Locator("table.sessions tbody tr");
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync("raw.csv");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("sessions.png") });

            await row.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page).ToHaveURLAsync(dash.Url + "/sessions/1");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Session #1");
            await Expect(page.Locator("p.summary")).ToContainTextAsync("3 reps (1 with a fault)");
            await Expect(page.Locator("#reps tbody tr[data-rep]")).ToHaveCountAsync(3);
            await Expect(page.Locator("#reps tr[data-faults='back_rounding']")).ToHaveCountAsync(1);
            await Expect(page.Locator("#alerts tbody tr[data-fault]")).ToHaveCountAsync(1);
            await Expect(page.Locator("#alerts")).ToContainTextAsync("back rounding");
            await ReportAssertions.PlotsRenderedAsync(page);
        }

        [Fact]
        public async Task The_report_page_is_whatever_renderer_the_server_is_given()
        {
            await using var server = await DashboardServer.StartAsync(new DashboardOptions
            {
                Urls = new[] { "http://127.0.0.1:0" },
                DatabasePath = _database,
                Reports = new FunctionReportRenderer(s => $"<!DOCTYPE html><title>r</title><p>{s.Summary.Id}: {s.Reps.Count} reps, {s.Alerts.Count} alerts</p>"),
            });
            using var http = new HttpClient();
            HttpResponseMessage r = await http.GetAsync(server.Urls[0].TrimEnd('/') + "/sessions/1");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains("1: 3 reps, 1 alerts", await r.Content.ReadAsStringAsync());
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

    /// <summary>The pages as the browser runs them under the server's Content-Security-Policy.</summary>
    [Collection("dashboard")]
    public class ContentSecurityPolicyTests : IClassFixture<AnalysedSessionFixture>
    {
        private readonly BrowserFixture _browser;
        private readonly string _database;

        public ContentSecurityPolicyTests(BrowserFixture browser, AnalysedSessionFixture session)
        {
            _browser = browser;
            _database = session.DatabasePath;
        }

        [SkippableFact]
        public async Task Every_page_works_under_the_policy_and_the_policy_blocks_an_injected_inline_script()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
            page.Console += (_, m) => console.Enqueue(m.Text);
            await using var dash = await TestDashboard.StartAsync(database: _database);

            await page.GotoAsync(dash.Url + "/");
            await Expect(page.Locator("#link-status")).ToHaveAttributeAsync("data-state", "absent"); // live.js ran
            await page.GotoAsync(dash.Url + "/sessions");
            await Expect(page.Locator("table.sessions tbody tr")).ToHaveCountAsync(1);
            await page.GotoAsync(dash.Url + "/sessions/1");
            // The report's plots (data: images) decode and its inline style applies.
            Assert.True(await page.EvaluateAsync<bool>("() => [...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)"));
            Assert.Equal("collapse", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('table')).borderCollapse"));
            Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", System.StringComparison.Ordinal));

            // The policy is in force: a script slipped into the page as text does not run.
            bool blocked = await page.EvaluateAsync<bool>(
                "() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.appendChild(s); return window.__injected === undefined; }");
            Assert.True(blocked);
            Assert.Contains(console, m => m.Contains("Content Security Policy", System.StringComparison.Ordinal));
        }
    }

    /// <summary>A database holding one analysed session of the rounding scenario (three reps, one back-rounding alert), as `hinge analyze --save` stores it.</summary>
    public sealed class AnalysedSessionFixture : System.IDisposable
    {
        private readonly TempDir _dir = new();

        public AnalysedSessionFixture()
        {
            string raw = Path.Combine(_dir.Path, "raw.csv");
            DatabasePath = Path.Combine(_dir.Path, "sessions.db");
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.True(HingeCli.Run(new[] { "simulate", "--scenario", "web/rounding", "--out", raw, "--labels", Path.Combine(_dir.Path, "labels.json") }, o, e) == 0, e.ToString());
            Assert.True(HingeCli.Run(new[] { "analyze", "--input", raw, "--out", Path.Combine(_dir.Path, "result.json"), "--save", "--db", DatabasePath }, o, e) == 0, e.ToString());
        }

        public string DatabasePath { get; }

        public void Dispose() => _dir.Dispose();
    }
}
