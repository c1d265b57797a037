using HingeSensor.TestSupport;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.DevTools.Cli;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// `hinge-dev bench team` runs end to end, small, on the throwaway cluster: it fills an empty
    /// database, times both pages for both teams, explains their queries; and it will not fill a
    /// database that has people in it. The times are printed, not asserted; the plans are: no page
    /// of a team of 3,000 sessions reads the whole sessions table.
    /// </summary>
    public class TeamBenchTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public TeamBenchTests(PostgresDatabase db) => _db = db;

        private static async Task<(int Code, string Out, string Err)> Bench(string cs)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = await DevCli.RunAsync(new[] { "bench", "team", "--db", cs, "--sessions", "3000", "--baseline", "20", "--members", "4", "--requests", "3", "--report-minutes", "0.5" }, o, e, CancellationToken.None);
            return (code, o.ToString(), e.ToString());
        }

        [SkippableFact]
        public async Task The_bench_prints_both_pages_times_their_ratio_and_plans_and_refuses_a_database_in_use()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(await cluster.CreateDatabaseAsync("bench"));
            var (code, output, error) = await Bench(cs);
            Assert.True(code == 0, error);
            foreach (string line in new[] { "team   page, team of     20 sessions: p50", "person page, team of   3000 sessions: p50", "team   page ratio 3000/20 sessions", "person page ratio 3000/20 sessions" })
                Assert.Contains(line, output);
            // Every page's query reaches the sessions through an index, none reads the whole table
            // (the home page's listing did, sorting every session of the coach's teams: 15 ms in
            // PostgreSQL for 10,000 sessions, growing with them).
            foreach (string page in new[] { "team page, 3000", "person page, 3000", "home page, 3020" })
                Assert.True(Regex.IsMatch(output, $"plan, {page} sessions: .*(Index (Only )?Scan on sessions|Bitmap Index Scan) using sessions_person_"), output);
            Assert.DoesNotContain("reads the whole sessions table", output);
            Assert.Matches("report page of one 0.5 min session \\(\\d+ bytes, recorded on the virtual device, uploaded\\): p50", output);

            var again = await Bench(cs);
            Assert.Equal(2, again.Code);
            Assert.Contains("already has people in it: give the bench an empty database", again.Err);
        }
    }
}
