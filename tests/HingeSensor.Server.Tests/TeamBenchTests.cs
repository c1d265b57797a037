using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.DevTools.Cli;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// `hinge-dev bench team` runs end to end, small, on the throwaway cluster: it fills an empty
    /// database, times both pages for both teams, explains their queries; and it will not fill a
    /// database that has people in it. What it measures is printed, not asserted.
    /// </summary>
    public class TeamBenchTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public TeamBenchTests(PostgresDatabase db) => _db = db;

        private static async Task<(int Code, string Out, string Err)> Bench(string cs)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = await DevCli.RunAsync(new[] { "bench", "team", "--db", cs, "--sessions", "400", "--baseline", "20", "--members", "4", "--requests", "3", "--report-minutes", "0.5" }, o, e, CancellationToken.None);
            return (code, o.ToString(), e.ToString());
        }

        [SkippableFact]
        public async Task The_bench_prints_both_pages_times_their_ratio_and_plans_and_refuses_a_database_in_use()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(await cluster.CreateDatabaseAsync("bench"));
            var (code, output, error) = await Bench(cs);
            Assert.True(code == 0, error);
            foreach (string line in new[] { "team   page, team of     20 sessions: p50", "person page, team of    400 sessions: p50", "team   page ratio 400/20 sessions", "person page ratio 400/20 sessions" })
                Assert.Contains(line, output);
            Assert.Matches("plan, team page, 400 sessions: .* on sessions", output);
            Assert.Matches("plan, person page, 400 sessions: .* on sessions", output);
            Assert.Matches("report page of one 0.5 min session \\(\\d+ bytes, recorded on the virtual device, uploaded\\): p50", output);

            var again = await Bench(cs);
            Assert.Equal(2, again.Code);
            Assert.Contains("already has people in it: give the bench an empty database", again.Err);
        }
    }
}
