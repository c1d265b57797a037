using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.TeamServer;
using HingeSensor.Server;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Schema;
using HingeSensor.Server.Sessions;
using HingeSensor.Server.Views;
using Npgsql;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// The coach views at scale: two teams with the same members in an empty database, one with a
    /// baseline number of sessions and one with many (summaries inserted directly, spread over a
    /// year; no files, the two pages never read one), `hinge server`'s own server in this process,
    /// a coach signed in, and each page asked for many times over loopback. Reports the time to
    /// the last byte (server time plus a loopback round trip) p50/p95 for both teams and their
    /// ratio, and which scans the pages' queries use (EXPLAIN ANALYZE).
    /// </summary>
    public static class TeamViewBenchmark
    {
        public const string Password = "bench password 1";

        /// <param name="ReportMinutes">Length of the one real session (recorded on the virtual device, uploaded) whose report page is timed; 0: none.</param>
        public sealed record Scale(int Sessions, int Baseline, int Members, int Requests, double ReportMinutes = 0);

        public sealed record PageTimes(string Page, int Sessions, double P50Ms, double P95Ms);

        public sealed record Plan(string Page, double ExecutionMs, IReadOnlyList<string> Scans)
        {
            public bool SeqScanOnSessions => Scans.Any(s => s.StartsWith("Seq Scan on sessions", StringComparison.Ordinal));
        }

        public sealed record Figures(IReadOnlyList<PageTimes> Times, IReadOnlyList<Plan> Plans, ReportTimes? Report);

        /// <summary>The report page of one uploaded session: its size, and the page's time to the last byte.</summary>
        public sealed record ReportTimes(double Minutes, int Bytes, int Requests, double P50Ms, double P95Ms);

        /// <summary>Refuses a database that holds anything of a server's already: the bench adds people and sessions.</summary>
        public static async Task<Figures> RunAsync(string connectionString, Scale scale, CancellationToken ct)
        {
            await using NpgsqlDataSource db = NpgsqlDataSource.Create(connectionString);
            await SchemaMigrator.MigrateAsync(db, ct);
            if (await ScalarAsync(db, "SELECT count(*) FROM people", ct) > 0)
                throw new InvalidOperationException("the database already has people in it: give the bench an empty database of its own (createdb hinge_bench); it adds teams and thousands of sessions");
            var accounts = new AccountStore(db);
            long coach = await accounts.AddPersonAsync("coach@bench.example", "Bench coach", Password, ct);
            var teams = new List<(long Team, int Sessions)>();
            foreach (int sessions in new[] { scale.Baseline, scale.Sessions })
            {
                long team = await accounts.CreateTeamAsync($"{sessions} sessions", ct);
                await accounts.JoinAsync(team, coach, Roles.Coach, ct);
                await FillAsync(db, accounts, team, scale.Members, sessions, ct);
                teams.Add((team, sessions));
            }
            // What autovacuum does soon after a bulk load: statistics for the planner, the visibility map for index-only scans.
            await using (NpgsqlCommand v = db.CreateCommand("VACUUM ANALYZE")) await v.ExecuteNonQueryAsync(ct);

            await using TeamServer server = await TeamServer.StartAsync(new TeamServerOptions
            {
                ConnectionString = connectionString,
                Urls = new[] { "http://127.0.0.1:0" },
                Inspector = new HostSessionInspector(),
                Reports = new HostSessionReports(),
            }, ct);
            await server.Database.Ready.WaitAsync(TimeSpan.FromSeconds(60), ct);
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Urls[0] + "/") };
            string cookies = await SignInAsync(http, ct);

            var pages = new List<(string Page, string Path, int Sessions)>();
            var busiest = new List<long>();
            foreach ((long team, int sessions) in teams)
            {
                busiest.Add(await ScalarAsync(db, $"SELECT s.person_id FROM sessions s JOIN memberships m ON m.person_id = s.person_id AND m.team_id = {team} GROUP BY s.person_id ORDER BY count(*) DESC LIMIT 1", ct));
                pages.Add(("team", $"teams/{team}", sessions));
                pages.Add(("person", $"people/{busiest[^1]}", sessions));
            }
            // The first page a coach sees: the newest sessions of every team they coach (here both).
            pages.Add(("home", "/", scale.Sessions + scale.Baseline));
            IReadOnlyList<PageTimes> times = await TimeAsync(http, cookies, pages, scale.Requests, ct);
            var plans = new List<Plan>();
            TrainingWeek week = TrainingWeek.Of(DateTimeOffset.UtcNow);
            for (int i = 0; i < teams.Count; i++)
            {
                (long team, int sessions) = teams[i];
                await using NpgsqlConnection c = await db.OpenConnectionAsync(ct);
                await using (NpgsqlCommand q = CoachQueries.Members(c, team, week, null, CoachQueries.MaxPage + 1))
                    plans.Add(await ExplainAsync(q, $"team page, {sessions} sessions", ct));
                await using (NpgsqlCommand q = SessionQueries.ListCommand(new NpgsqlCommand { Connection = c }, coach, busiest[i], null, 0, CoachPages.TrendPage + 1))
                    plans.Add(await ExplainAsync(q, $"person page, {sessions} sessions", ct));
            }
            await using (NpgsqlConnection c = await db.OpenConnectionAsync(ct))
            await using (NpgsqlCommand q = SessionQueries.ListCommand(new NpgsqlCommand { Connection = c }, coach, null, null, 0, 51))
                plans.Add(await ExplainAsync(q, $"home page, {scale.Sessions + scale.Baseline} sessions", ct));
            ReportTimes? report = scale.ReportMinutes > 0 ? await TimeReportAsync(http, cookies, accounts, server.Urls[0], teams[^1].Team, scale, ct) : null;
            return new Figures(times, plans, report);
        }

        // One session recorded on the virtual device (the demo wearer, 25 frames/s), uploaded by a member as `hinge sync` does, its report asked for.
        private static async Task<ReportTimes> TimeReportAsync(HttpClient http, string cookies, AccountStore accounts, string url, long team, Scale scale, CancellationToken ct)
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hinge-bench-" + Guid.NewGuid().ToString("N"));
            byte[] file;
            try { file = (await HostBenchmark.RecordAsync(dir, scale.ReportMinutes * 60, 25)).Bytes; }
            finally { try { System.IO.Directory.Delete(dir, true); } catch (System.IO.IOException) { } }
            long wearer = await accounts.AddPersonAsync($"wearer.team{team}@bench.example", "Recorded wearer", null, ct);
            await accounts.JoinAsync(team, wearer, Roles.Athlete, ct);
            using var upload = new HingeSensor.Server.Sync.UploadClient(new Uri(url + "/"), (await accounts.IssueTokenAsync(wearer, "bench", ct)).Secret);
            HingeSensor.Server.Sync.UploadOutcome stored = await upload.UploadAsync(file, ct);
            if (stored.SessionId is not long id) throw new InvalidOperationException($"the recorded session was not stored: {stored.Result}");
            int requests = Math.Max(1, scale.Requests / 10); // each one decodes and draws the whole session
            PageTimes t = (await TimeAsync(http, cookies, new[] { ("report", $"sessions/{id}", 1) }, requests, ct))[0];
            return new ReportTimes(scale.ReportMinutes, file.Length, requests, t.P50Ms, t.P95Ms);
        }

        // Members with a device each; sessions spread evenly over them and at random over the last 365 days, summaries plausible.
        private static async Task FillAsync(NpgsqlDataSource db, AccountStore accounts, long team, int members, int sessions, CancellationToken ct)
        {
            var people = new List<long>();
            for (int m = 0; m < members; m++)
            {
                long p = await accounts.AddPersonAsync($"athlete{m}.team{team}@bench.example", $"Athlete {m:D3}", null, ct);
                await accounts.JoinAsync(team, p, Roles.Athlete, ct);
                await accounts.RegisterDeviceAsync($"B{team}-{m}", p, ct);
                people.Add(p);
            }
            await using NpgsqlCommand c = db.CreateCommand($"""
                WITH who AS (SELECT p, row_number() OVER () - 1 AS k FROM unnest($1::bigint[]) p)
                INSERT INTO sessions (digest, person_id, device_id, device_session_id, format, firmware, started_at, frame_rate_hz, duration_s, closed, frames,
                    reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, alert_s, holes, damaged_bytes, length,
                    median_depth_deg, summary_version)
                SELECT sha256(($2 || '/' || g)::bytea), w.p, d.id, g, 2, '2.0.0', now() - random() * interval '365 days', 25, 1800, true, 45000,
                    r.reps, r.faulty, r.reached, r.reps, r.faulty, (random() * 4)::int, (random() * 2)::int, r.faulty * 1.5, 0, 0, 330000,
                    70 + random() * 25, {SummaryBackfill.CurrentVersion}
                FROM generate_series(0, $3 - 1) g
                JOIN who w ON w.k = g % $4
                JOIN devices d ON d.person_id = w.p
                CROSS JOIN LATERAL (SELECT 20 + (random() * 40)::int + g * 0 AS reps) n
                CROSS JOIN LATERAL (SELECT n.reps, (random() * n.reps * 0.4)::int AS faulty, (n.reps * (0.5 + random() * 0.5))::int AS reached) r
                """);
            c.Parameters.AddWithValue(people.ToArray());
            c.Parameters.AddWithValue($"team{team}");
            c.Parameters.AddWithValue(sessions);
            c.Parameters.AddWithValue(members);
            await c.ExecuteNonQueryAsync(ct);
        }

        // Through the sign-in form, as a browser behind the TLS proxy: the cookies to send with every page.
        private static async Task<string> SignInAsync(HttpClient http, CancellationToken ct)
        {
            using var form = new HttpRequestMessage(HttpMethod.Get, "login");
            form.Headers.Add("X-Forwarded-Proto", "https");
            using HttpResponseMessage page = await http.SendAsync(form, ct);
            string csrf = WebUtility.HtmlDecode(Regex.Match(await page.Content.ReadAsStringAsync(ct), "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value);
            var jar = Cookies(page);
            using var post = new HttpRequestMessage(HttpMethod.Post, "login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "coach@bench.example", ["password"] = Password, ["csrf"] = csrf }),
            };
            post.Headers.Add("X-Forwarded-Proto", "https");
            post.Headers.Add("Cookie", string.Join("; ", jar));
            using HttpResponseMessage signedIn = await http.SendAsync(post, ct);
            if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"the bench coach could not sign in: {(int)signedIn.StatusCode}");
            return string.Join("; ", jar.Concat(Cookies(signedIn)));
        }

        private static List<string> Cookies(HttpResponseMessage r) =>
            r.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set) ? set.Select(c => c.Split(';')[0]).ToList() : new List<string>();

        // The pages asked in turn, one request at a time, so that the machine's ups and downs and the JIT's warming fall on all of them alike.
        private static async Task<IReadOnlyList<PageTimes>> TimeAsync(HttpClient http, string cookies, IReadOnlyList<(string Page, string Path, int Sessions)> pages, int requests, CancellationToken ct)
        {
            var ms = pages.Select(_ => new List<double>()).ToList();
            for (int i = -Math.Min(10, requests); i < requests; i++) // the first few warm up (JIT, pools, caches) and are not counted
                for (int k = 0; k < pages.Count; k++)
                {
                    using var m = new HttpRequestMessage(HttpMethod.Get, pages[k].Path);
                    m.Headers.Add("X-Forwarded-Proto", "https");
                    m.Headers.Add("Cookie", cookies);
                    long start = Stopwatch.GetTimestamp();
                    using HttpResponseMessage r = await http.SendAsync(m, HttpCompletionOption.ResponseContentRead, ct);
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (r.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /{pages[k].Path} answered {(int)r.StatusCode}");
                    if (i >= 0) ms[k].Add(elapsed);
                }
            return pages.Select((p, k) =>
            {
                ms[k].Sort();
                return new PageTimes(p.Page, p.Sessions, Percentile(ms[k], 0.50), Percentile(ms[k], 0.95));
            }).ToList();
        }

        private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

        private static async Task<Plan> ExplainAsync(NpgsqlCommand q, string page, CancellationToken ct)
        {
            q.CommandText = "EXPLAIN (ANALYZE, FORMAT JSON) " + q.CommandText;
            string json = (string)(await q.ExecuteScalarAsync(ct))!;
            JsonElement root = JsonDocument.Parse(json).RootElement[0];
            var scans = new List<string>();
            Walk(root.GetProperty("Plan"), scans);
            var counted = scans.GroupBy(s => s).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key).ToList();
            return new Plan(page, root.GetProperty("Execution Time").GetDouble(), counted);
        }

        private static void Walk(JsonElement node, List<string> scans)
        {
            string type = node.GetProperty("Node Type").GetString()!;
            if (type.Contains("Scan", StringComparison.Ordinal))
            {
                string loops = node.TryGetProperty("Actual Loops", out JsonElement l) && l.GetInt64() > 1 ? $" ({l.GetInt64()} loops)" : "";
                string on = node.TryGetProperty("Relation Name", out JsonElement rel) ? $" on {rel.GetString()}" : ""; // a bitmap index scan names only its index
                string index = node.TryGetProperty("Index Name", out JsonElement i) ? $" using {i.GetString()}" : "";
                if (on.Length > 0 || index.Length > 0) scans.Add($"{type}{on}{index}{loops}");
            }
            if (node.TryGetProperty("Plans", out JsonElement children))
                foreach (JsonElement c in children.EnumerateArray()) Walk(c, scans);
        }

        private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
        {
            await using NpgsqlCommand c = db.CreateCommand(sql);
            return Convert.ToInt64(await c.ExecuteScalarAsync(ct));
        }
    }
}
