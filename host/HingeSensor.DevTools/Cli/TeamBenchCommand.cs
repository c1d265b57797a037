using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.DevTools.Benchmarks;
using HingeSensor.Host.Client;
using Npgsql;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>
    /// `hinge-dev bench team --db "Host=…;Database=hinge_bench"`: the coach views on a team with many
    /// sessions against one with few, in an empty database of its own (docs/team-server.md).
    /// </summary>
    internal static class TeamBenchCommand
    {
        public static Command Create()
        {
            var db = new Option<string>("--db") { Description = "An EMPTY PostgreSQL database for the bench (it adds teams and sessions), as an Npgsql connection string.", Required = true };
            var sessions = new Option<int>("--sessions") { Description = "Sessions of the big team.", DefaultValueFactory = _ => 10_000 };
            var baseline = new Option<int>("--baseline") { Description = "Sessions of the baseline team.", DefaultValueFactory = _ => 100 };
            var members = new Option<int>("--members") { Description = "Members of each team.", DefaultValueFactory = _ => 20 };
            var requests = new Option<int>("--requests") { Description = "Requests timed per page and team (a tenth of them for the report).", DefaultValueFactory = _ => 200 };
            var reportMinutes = new Option<double>("--report-minutes") { Description = "Minutes of the one session recorded on the virtual device and uploaded, whose report page is timed (0: none; its flash holds about 18 at 25 frames/s).", DefaultValueFactory = _ => 15 };
            var cmd = new Command("team", "The team server's coach views: team and person page time p50/p95 with many sessions against a baseline, and the scans their queries use.")
                { db, sessions, baseline, members, requests, reportMinutes };
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter o = p.InvocationConfiguration.Output;
                var scale = new TeamViewBenchmark.Scale(p.GetValue(sessions), p.GetValue(baseline), p.GetValue(members), p.GetValue(requests), p.GetValue(reportMinutes));
                if (scale.Sessions < 1 || scale.Baseline < 1 || scale.Members < 1 || scale.Requests < 1 || !(scale.ReportMinutes >= 0 && scale.ReportMinutes <= 120))
                {
                    p.InvocationConfiguration.Error.WriteLine("hinge-dev bench team: --sessions, --baseline, --members and --requests must be at least 1, --report-minutes 0 to 120");
                    return 2;
                }
                TeamViewBenchmark.Figures f;
                try { f = await TeamViewBenchmark.RunAsync(p.GetValue(db)!, scale, ct); }
                catch (Exception e) when (e is InvalidOperationException || e is NpgsqlException || e is ArgumentException)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge-dev bench team: {e.Message}");
                    return 2;
                }
                catch (DeviceRequestException e)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge-dev bench team: recording the report's session on the virtual device: {e.Message} (its flash holds about 18 minutes at 25 frames/s: give fewer --report-minutes)");
                    return 2;
                }
                o.WriteLine($"two teams of {scale.Members} members, sessions spread over the last year; {scale.Requests} requests per page after a warm-up, one at a time, over loopback (time to the last byte)");
                foreach (string page in new[] { "team", "person" })
                {
                    var rows = f.Times.Where(t => t.Page == page).OrderBy(t => t.Sessions).ToList();
                    foreach (var t in rows)
                        o.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-6} page, team of {1,6} sessions: p50 {2,7:0.00} ms  p95 {3,7:0.00} ms", t.Page, t.Sessions, t.P50Ms, t.P95Ms));
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-6} page ratio {1}/{2} sessions: p50 {3:0.00}, p95 {4:0.00}", page, rows[^1].Sessions, rows[0].Sessions,
                        rows[^1].P50Ms / rows[0].P50Ms, rows[^1].P95Ms / rows[0].P95Ms));
                }
                foreach (var t in f.Times.Where(t => t.Page == "home"))
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "home page (the newest 50 of both teams' {0} sessions): p50 {1:0.00} ms  p95 {2:0.00} ms", t.Sessions, t.P50Ms, t.P95Ms));
                foreach (var plan in f.Plans)
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "plan, {0}: {1:0.000} ms in PostgreSQL; {2}{3}", plan.Page, plan.ExecutionMs, string.Join("; ", plan.Scans),
                        plan.SeqScanOnSessions ? "  <-- reads the whole sessions table" : ""));
                if (f.Report is { } r)
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "report page of one {0:0.#} min session ({1} bytes, recorded on the virtual device, uploaded): p50 {2:0} ms  p95 {3:0} ms over {4} requests (decoded and drawn each time)",
                        r.Minutes, r.Bytes, r.P50Ms, r.P95Ms, r.Requests));
                return 0;
            });
            return cmd;
        }
    }
}
