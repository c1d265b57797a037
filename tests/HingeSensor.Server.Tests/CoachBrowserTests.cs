using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HingeSensor.Host.Storage;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// The coach views in Debian's chromium against `hinge server` on the throwaway cluster, with
    /// sessions uploaded by `hinge sync` from each athlete's log: the coach signs in with the form,
    /// opens the team at a glance, a person's trend and a session's report (figures decoded, not
    /// blocked by the page's policy); an athlete cannot open another's. The browser reaches the
    /// server as through its TLS proxy: every request carries X-Forwarded-Proto: https.
    /// </summary>
    public class CoachBrowserTests : IClassFixture<TeamFixture>, IClassFixture<BrowserFixture>
    {
        private const string Week = "2025-W48";
        private const long Day = 86_400_000;

        private readonly TeamFixture _team;
        private readonly BrowserFixture _browser;

        public CoachBrowserTests(TeamFixture team, BrowserFixture browser)
        {
            _team = team;
            _browser = browser;
        }

        // An athlete's computer: the sessions downloaded into hinge's log, then `hinge sync`.
        private async Task SyncAsync(string serial, string token, params byte[][] files)
        {
            using var dir = new TempDir();
            string log = dir.File("hinge.db");
            using (var db = new SessionDatabase(log))
                foreach (byte[] f in files) db.ImportDeviceSession(new DeviceIdentityInfo(serial, "HingeSensor", null, null, null), f);
            var (code, output, error) = await HealthTests.Hinge("sync", "--server", _team.Url.ToString(), "--token", token, "--db", log);
            Assert.True(code == 0, $"hinge sync exited {code}: {output}{error}");
            Assert.Contains($"{files.Length} uploaded", output);
        }

        private async Task<BrowserPage> SignedInAsync(string email)
        {
            BrowserPage b = await _browser.OpenPageAsync();
            await b.Page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
            await b.Page.GotoAsync(_team.Url + "login");
            await b.Page.Locator("input[name=email]").FillAsync(email);
            await b.Page.Locator("input[name=password]").FillAsync(TeamFixture.Password);
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(b.Page.Locator("body")).ToContainTextAsync("Signed in as");
            return b;
        }

        // Each figure decoded by the browser at the size its element states (a blocked or broken image has no natural size).
        private static async Task FiguresShownAsync(IPage page, params string[] ids)
        {
            foreach (string id in ids)
            {
                ILocator img = page.Locator("#" + id);
                await Expect(img).ToBeVisibleAsync();
                JsonElement size = await img.EvaluateAsync<JsonElement>("async i => { await i.decode(); return { w: i.naturalWidth, aw: +i.getAttribute('width') }; }");
                Assert.True(size.GetProperty("w").GetInt32() > 0, $"{id} not decoded");
                Assert.Equal(size.GetProperty("aw").GetInt32(), size.GetProperty("w").GetInt32());
            }
        }

        [SkippableFact]
        public async Task A_coach_opens_the_team_a_persons_trend_and_a_report_and_an_athlete_cannot_open_anothers()
        {
            _ = _team.Cluster;
            _ = _browser.Browser;
            await SyncAsync("HS-BR-A", _team.AnaToken,
                SessionFiles.Record("HS-BR-A", 201, reps: 4, faultyReps: 1, startUnixMs: SessionFiles.Start),
                SessionFiles.Record("HS-BR-A", 202, reps: 6, faultyReps: 2, startUnixMs: SessionFiles.Start + Day));
            await SyncAsync("HS-BR-B", _team.BenToken, SessionFiles.Record("HS-BR-B", 203, reps: 5, faultyReps: 5, startUnixMs: SessionFiles.Start + 2 * Day));
            long benSession = await _team.ScalarAsync("SELECT id FROM sessions WHERE person_id = $1", _team.Ben);

            await using (BrowserPage coach = await SignedInAsync("cora@rowing.example"))
            {
                IPage page = coach.Page;
                await page.GetByRole(AriaRole.Link, new() { Name = "Rowing at a glance" }).ClickAsync();
                await Expect(page.Locator("h1")).ToContainTextAsync("Rowing: week");
                await page.GotoAsync(_team.Url + $"teams/{_team.Rowing}?week={Week}");
                await Expect(page.Locator("h1")).ToHaveTextAsync($"Rowing: week {Week}");
                ILocator ana = page.Locator($"#members tr[data-person='{_team.Ana}']");
                // 2 sessions, 10 reps, 3 with a fault: 30 %; depth reached on the even slots, 2 of 4 and 3 of 6: 50 %.
                await Expect(ana.Locator("td")).ToHaveTextAsync(new[] { "Ana", "athlete", "2", "1", "10", "3", "30 %", "50 %", "4.0", "–" });
                ILocator ben = page.Locator($"#members tr[data-person='{_team.Ben}']");
                await Expect(ben.Locator("td").Nth(6)).ToHaveTextAsync("100 %");
                await Expect(page.Locator("#members tbody tr")).ToHaveCountAsync(3); // Cora, Ana, Ben; nobody of Judo
                await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("coach-team.png"), FullPage = true });

                await ana.GetByRole(AriaRole.Link, new() { Name = "Ana" }).ClickAsync();
                await Expect(page.Locator("h1")).ToHaveTextAsync("Ana: trend");
                await Expect(page.Locator("#sessions tbody tr")).ToHaveCountAsync(2);
                await FiguresShownAsync(page, "plot-trend-reps", "plot-trend-fault-rate", "plot-trend-depth");
                await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("coach-person.png"), FullPage = true });

                ILocator newest = page.Locator("#sessions tbody tr").First;
                string id = (await newest.GetAttributeAsync("data-session"))!;
                await newest.GetByRole(AriaRole.Link).ClickAsync();
                await Expect(page.Locator("h1")).ToHaveTextAsync($"Session #{id}");
                await Expect(page.Locator("p.summary")).ToContainTextAsync("6 reps (2 with a fault)");
                await Expect(page.Locator("#reps tbody tr[data-rep]")).ToHaveCountAsync(6);
                await FiguresShownAsync(page, "plot-torso", "plot-trunk", "plot-head");
                await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("coach-report.png"), FullPage = true });
            }

            await using (BrowserPage athlete = await SignedInAsync("ana@rowing.example"))
            {
                IPage page = athlete.Page;
                await page.GetByRole(AriaRole.Link, new() { Name = "My trend" }).ClickAsync();
                await Expect(page.Locator("#sessions tbody tr")).ToHaveCountAsync(2);
                Assert.DoesNotContain("Rowing at a glance", await page.ContentAsync());
                foreach (string path in new[] { $"sessions/{benSession}", $"people/{_team.Ben}", $"teams/{_team.Rowing}" })
                {
                    IResponse? r = await page.GotoAsync(_team.Url + path);
                    Assert.Equal(404, r!.Status);
                    await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
                    Assert.DoesNotMatch(new Regex("HS-BR-B|Ben"), await page.ContentAsync());
                }
            }
        }
    }
}
