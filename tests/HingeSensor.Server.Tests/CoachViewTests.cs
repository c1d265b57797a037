using HingeSensor.TestSupport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using HingeSensor.Host.TeamServer;
using HingeSensor.Server.Sync;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// The coach views through HTTP, as a signed-in browser asks: the team's week adds up the
    /// sessions uploaded, the trend compares with the weeks before, a person's trend lists and draws
    /// their sessions, a session's report is the page `hinge report` makes of the same file; and
    /// every page and API route answers 404 to whoever may not see it.
    /// </summary>
    public class CoachViewTests : IClassFixture<TeamFixture>
    {
        // SessionFiles.Start is Monday 2025-11-24 16:00 UTC, in ISO week 2025-W48.
        private const string Week = "2025-W48";
        private const long Day = 86_400_000;

        private readonly TeamFixture _team;

        public CoachViewTests(TeamFixture team) => _team = team;

        private async Task<long> UploadAsync(string token, byte[] file)
        {
            using var client = new UploadClient(_team.Url, token);
            UploadOutcome o = await client.UploadAsync(file);
            Assert.Equal(UploadOutcome.Stored, o.Result);
            return o.SessionId!.Value;
        }

        private async Task<Browser> SignedInAsync(string email)
        {
            var b = new Browser(_team.Url);
            using HttpResponseMessage r = await b.SignInAsync(email, TeamFixture.Password);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            return b;
        }

        private static async Task<(HttpStatusCode Status, string Body)> GetAsync(Browser b, string path)
        {
            using HttpResponseMessage r = await b.GetAsync(path);
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }

        // Uploaded once per class: Ana has two sessions in the week and one two weeks before, Ben one
        // in the week and one in the week after, Eve (another team) one in the week.
        private async Task<(long AnaWeek1, long AnaWeek2, long AnaBefore, long Ben, long Eve)> UploadTeamAsync()
        {
            long a1 = await UploadAsync(_team.AnaToken, SessionFiles.Record("HS-CV-A", 1, seconds: 30, reps: 4, faultyReps: 1, startUnixMs: SessionFiles.Start));
            long a2 = await UploadAsync(_team.AnaToken, SessionFiles.Record("HS-CV-A", 2, seconds: 30, reps: 6, faultyReps: 3, startUnixMs: SessionFiles.Start + 2 * Day));
            long a0 = await UploadAsync(_team.AnaToken, SessionFiles.Record("HS-CV-A", 3, seconds: 30, reps: 4, faultyReps: 4, startUnixMs: SessionFiles.Start - 14 * Day));
            long b1 = await UploadAsync(_team.BenToken, SessionFiles.Record("HS-CV-B", 4, seconds: 60, reps: 5, faultyReps: 0, chinDrops: 0, startUnixMs: SessionFiles.Start + Day));
            await UploadAsync(_team.BenToken, SessionFiles.Record("HS-CV-B", 5, seconds: 30, reps: 4, faultyReps: 4, startUnixMs: SessionFiles.Start + 7 * Day));
            long e1 = await UploadAsync(_team.EveToken, SessionFiles.Record("HS-CV-E", 6, startUnixMs: SessionFiles.Start));
            return (a1, a2, a0, b1, e1);
        }

        private static Dictionary<string, string> Row(string html, string table, string key, long id)
        {
            Match t = Regex.Match(html, $"<table id=\"{table}\">.*?</table>", RegexOptions.Singleline);
            Assert.True(t.Success, $"no table {table}");
            Match row = Regex.Match(t.Value, $"<tr {key}=\"{id}\"[^>]*>");
            Assert.True(row.Success, $"no row {key}={id} in {table}");
            return Regex.Matches(row.Value, "(data-[a-z-]+)=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        }

        [SkippableFact]
        public async Task The_team_week_adds_up_each_members_sessions_and_compares_with_the_weeks_before_and_every_route_hides_what_is_not_ones_to_see()
        {
            _ = _team.Cluster;
            var ids = await UploadTeamAsync();

            using Browser cora = await SignedInAsync("cora@rowing.example");
            var (status, html) = await GetAsync(cora, $"teams/{_team.Rowing}?week={Week}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Rowing: week 2025-W48", html);
            // Ana: 10 reps this week, 4 with a fault (0.4) against 4 of 4 before: better. Depth judged on every rep, reached on the even slots: 2 of 4 + 3 of 6.
            var ana = Row(html, "members", "data-person", _team.Ana);
            Assert.Equal(("2", "10", "4", "0.4", "0.5", "better"), (ana["data-sessions"], ana["data-reps"], ana["data-faulty-reps"], ana["data-fault-rate"], ana["data-depth-share"], ana["data-trend"]));
            // Ben: one session in the week without faults; the one of the week after is not counted, and nothing before: no trend.
            var ben = Row(html, "members", "data-person", _team.Ben);
            Assert.Equal(("1", "5", "0", "0", "none"), (ben["data-sessions"], ben["data-reps"], ben["data-faulty-reps"], ben["data-fault-rate"], ben["data-trend"]));
            var coach = Row(html, "members", "data-person", _team.Cora);
            Assert.Equal(("0", "", "none"), (coach["data-sessions"], coach["data-fault-rate"], coach["data-trend"]));
            Assert.DoesNotContain($"data-person=\"{_team.Eve}\"", html);

            // The same week as JSON, and the next week: Ben's other session, worse than nothing before is still no trend.
            using (HttpResponseMessage r = await cora.GetAsync($"api/teams/{_team.Rowing}/week?week={Week}"))
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                JsonElement json = await r.JsonAsync();
                JsonElement a = json.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("person_id").GetInt64() == _team.Ana);
                Assert.Equal(0.4, a.GetProperty("fault_rate").GetDouble(), 9);
                Assert.Equal(1.0, a.GetProperty("previous").GetProperty("fault_rate").GetDouble(), 9);
                Assert.Equal(4.0, a.GetProperty("alerts_per_minute").GetDouble(), 6); // 2 chin drops in each 30 s session
                Assert.Equal("better", a.GetProperty("trend").GetString());
            }
            using (HttpResponseMessage r = await cora.GetAsync($"api/teams/{_team.Rowing}/week?week=2025-W49"))
            {
                JsonElement b = (await r.JsonAsync()).GetProperty("members").EnumerateArray().Single(m => m.GetProperty("person_id").GetInt64() == _team.Ben);
                Assert.Equal(1, b.GetProperty("sessions").GetInt32());
                Assert.Equal("worse", b.GetProperty("trend").GetString()); // 4 of 4 against 0 of 5 the week before
            }
            // The members page by name with the cursor: Ana, Ben, Cora, one at a time.
            var members = new List<long>();
            for (string? cursor = ""; cursor != null;)
            {
                using HttpResponseMessage r = await cora.GetAsync($"api/teams/{_team.Rowing}/week?week={Week}&limit=1&cursor={cursor}");
                JsonElement page = await r.JsonAsync();
                members.AddRange(page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("person_id").GetInt64()));
                cursor = page.GetProperty("next").GetString();
                Assert.True(members.Count <= 3, "the pages do not end");
            }
            Assert.Equal(new[] { _team.Ana, _team.Ben, _team.Cora }, members);
            using (HttpResponseMessage r = await cora.GetAsync($"api/teams/{_team.Rowing}/week?week=2025-W60"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
                Assert.Contains("is not a week", (await r.JsonAsync()).GetProperty("error").GetString());
            }

            // Who may see what, page by page: an athlete no team page, a coach not another team's,
            // nobody another team's person or session; the same 404 as for what does not exist.
            using Browser anaB = await SignedInAsync("ana@rowing.example");
            using Browser dan = await SignedInAsync("dan@judo.example");
            var routes = new (Browser Who, string Path, bool Allowed)[]
            {
                (cora, $"teams/{_team.Rowing}", true), (anaB, $"teams/{_team.Rowing}", false), (dan, $"teams/{_team.Rowing}", false), (cora, "teams/999999", false),
                (cora, $"api/teams/{_team.Rowing}/week", true), (anaB, $"api/teams/{_team.Rowing}/week", false), (dan, $"api/teams/{_team.Rowing}/week", false),
                (anaB, $"people/{_team.Ana}", true), (cora, $"people/{_team.Ana}", true), (anaB, $"people/{_team.Ben}", false), (dan, $"people/{_team.Ana}", false),
                (cora, $"people/{_team.Eve}", false), (cora, "people/999999", false),
                (anaB, $"sessions/{ids.AnaWeek1}", true), (cora, $"sessions/{ids.AnaWeek1}", true), (anaB, $"sessions/{ids.Ben}", false),
                (dan, $"sessions/{ids.AnaWeek1}", false), (cora, $"sessions/{ids.Eve}", false), (cora, "sessions/999999", false),
            };
            foreach (var (who, path, allowed) in routes)
            {
                var (s, body) = await GetAsync(who, path);
                Assert.True(allowed ? s == HttpStatusCode.OK : s == HttpStatusCode.NotFound, $"{path}: {s}");
                if (!allowed) Assert.DoesNotContain("HS-CV-", body); // no device, no session of someone else's
            }
            // An athlete's upload token reads no team either; a signed-out browser is sent to sign in.
            using (HttpClient token = Clients.WithToken(_team.Url, _team.AnaToken))
                Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"api/teams/{_team.Rowing}/week")).StatusCode);
            using var nobody = new Browser(_team.Url);
            foreach (string path in new[] { $"teams/{_team.Rowing}", $"people/{_team.Ana}", $"sessions/{ids.AnaWeek1}" })
            {
                using HttpResponseMessage r = await nobody.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
                Assert.StartsWith("/login", r.Headers.Location!.PathAndQuery);
            }
        }

        [SkippableFact]
        public async Task A_sessions_report_is_the_page_hinge_report_makes_of_the_same_file_and_a_persons_trend_lists_and_draws_their_sessions()
        {
            _ = _team.Cluster;
            byte[] file = SessionFiles.Record("HS-CV-R", 40, seconds: 30, reps: 5, faultyReps: 2, startUnixMs: SessionFiles.Start + 100 * Day); // outside the week the first test adds up
            long id = await UploadAsync(_team.AnaToken, file);

            // On the wearer's computer: the same file downloaded into hinge's log, and `hinge report`'s page of it.
            using var dir = new TempDir();
            string expected;
            using (var log = new SessionDatabase(dir.File("hinge.db")))
            {
                (long local, _) = log.ImportDeviceSession(new DeviceIdentityInfo("HS-CV-R", "HingeSensor", null, null, null), file);
                StoredSession s = log.GetSession(local)!;
                expected = SessionReportPage.Render(s with { Summary = s.Summary with { Id = id } });
            }
            using Browser cora = await SignedInAsync("cora@rowing.example");
            using (HttpResponseMessage r = await cora.GetAsync($"sessions/{id}"))
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Equal(expected, await r.Content.ReadAsStringAsync());
                // Its figures are data: URIs and its style inline: the page's policy allows those and nothing else.
                string policy = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
                Assert.Contains("img-src data:", policy);
                Assert.DoesNotContain("script-src", policy);
            }

            var (status, html) = await GetAsync(cora, $"people/{_team.Ana}");
            Assert.Equal(HttpStatusCode.OK, status);
            var row = Row(html, "sessions", "data-session", id);
            Assert.Equal(("5", "2", "0.4", "80"), (row["data-reps"], row["data-faulty-reps"], row["data-fault-rate"], row["data-median-depth-deg"]));
            Assert.Contains($"href=\"/sessions/{id}\"", html);
            foreach (string plot in new[] { TrendPlots.RepsId, TrendPlots.FaultRateId, TrendPlots.DepthId })
                Assert.Matches($"<img id=\"{plot}\" src=\"data:image/png;base64,", html);
        }

        [SkippableFact]
        public async Task A_stored_file_that_no_longer_decodes_gets_a_sentence_not_a_crash()
        {
            _ = _team.Cluster;
            long id = await UploadAsync(_team.EveToken, SessionFiles.Record("HS-CV-X", 60, startUnixMs: SessionFiles.Start + 200 * Day));
            // As a decoder made stricter after the upload would see it: the header chunk damaged.
            await _team.ScalarAsync("UPDATE session_files SET data = overlay(data placing '\\x00000000'::bytea from 9) WHERE session_id = $1 RETURNING session_id", id);
            using Browser dan = await SignedInAsync("dan@judo.example");
            var (status, html) = await GetAsync(dan, $"sessions/{id}");
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Contains($"Session {id} is stored, but its file does not decode any more: ", html);
            Assert.Contains("header", html);
        }

        [SkippableFact]
        public async Task A_persons_trend_pages_through_many_sessions_with_the_api_cursor()
        {
            _ = _team.Cluster;
            // Ben's sessions: one uploaded, copied 120 times in SQL with other digests and starts (as the bench fills a team).
            long first = await UploadAsync(_team.BenToken, SessionFiles.Record("HS-CV-P", 50, startUnixMs: SessionFiles.Start - 400 * Day));
            await _team.ScalarAsync("""
                INSERT INTO sessions (digest, person_id, device_id, device_session_id, format, firmware, started_at, frame_rate_hz, duration_s, closed, frames,
                    reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, alert_s, holes, damaged_bytes, length,
                    median_depth_deg, summary_version)
                SELECT sha256(digest || g::text::bytea), person_id, device_id, device_session_id + g, format, firmware, started_at - g * interval '1 day', frame_rate_hz, duration_s, closed, frames,
                    reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, alert_s, holes, damaged_bytes, length,
                    median_depth_deg, summary_version
                FROM sessions, generate_series(1, 120) g WHERE id = $1
                """, first);
            using Browser ben = await SignedInAsync("ben@rowing.example");
            var seen = new List<string>();
            string path = $"people/{_team.Ben}";
            for (int pages = 0; path != null; pages++)
            {
                Assert.True(pages < 10, "the pages do not end");
                var (status, html) = await GetAsync(ben, path);
                Assert.Equal(HttpStatusCode.OK, status);
                seen.AddRange(Regex.Matches(html, "<tr data-session=\"(\\d+)\"").Select(m => m.Groups[1].Value));
                Match next = Regex.Match(html, "<a id=\"next\" href=\"/([^\"]+)\"");
                path = next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null!;
            }
            long bens = await _team.ScalarAsync("SELECT count(*) FROM sessions WHERE person_id = $1", _team.Ben);
            Assert.Equal(bens, seen.Count);
            Assert.Equal(seen.Count, seen.Distinct().Count());
        }
    }
}
