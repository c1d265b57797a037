using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Server.Sync;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// Backup and restore as docs/team-server.md says: pg_dump of the server's database, restored
    /// into a new database, and a server started on it has the same sessions, files, tokens and
    /// sign-ins (the cookie keys travel in the database).
    /// </summary>
    public class BackupTests : IClassFixture<TeamFixture>
    {
        private readonly TeamFixture _team;

        public BackupTests(TeamFixture team) => _team = team;

        private static async Task<List<string>> SnapshotAsync(HttpClient http)
        {
            JsonElement page = await (await http.GetAsync("api/sessions?limit=500")).JsonAsync();
            var rows = new List<string>();
            foreach (JsonElement s in page.GetProperty("sessions").EnumerateArray())
            {
                byte[] file = await (await http.GetAsync($"api/sessions/{s.GetProperty("id").GetInt64()}/file")).Content.ReadAsByteArrayAsync();
                rows.Add(s.GetRawText() + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file)));
            }
            return rows;
        }

        [SkippableFact]
        public async Task A_pg_dump_restored_into_a_new_database_serves_the_same_sessions()
        {
            PostgresCluster cluster = _team.Cluster;
            foreach (var (token, serial, seed) in new[] { (_team.AnaToken, "HS-A-20", 401), (_team.BenToken, "HS-B-20", 402), (_team.EveToken, "HS-E-20", 403) })
            {
                using var client = new UploadClient(_team.Url, token);
                Assert.Equal(UploadOutcome.Stored, (await client.UploadAsync(SessionFiles.Record(serial, seed))).Result);
            }
            using var cora = new Browser(_team.Url);
            Assert.Equal(HttpStatusCode.Redirect, (await cora.SignInAsync("cora@rowing.example", TeamFixture.Password)).StatusCode);
            List<string> before;
            using (HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken)) before = await SnapshotAsync(ana);
            using HttpResponseMessage coraBefore = await cora.GetAsync("api/sessions?limit=500");
            string coraList = await coraBefore.Content.ReadAsStringAsync();

            using var dir = new TempDir();
            string dump = dir.File("hinge.dump");
            string original = new Npgsql.NpgsqlConnectionStringBuilder(_team.ConnectionString).Database!;
            cluster.RunClient("pg_dump", "--format=custom", "--no-owner", $"--file={dump}", $"--dbname={original}");
            string restored = await cluster.CreateDatabaseAsync("restored");
            try
            {
                cluster.RunClient("pg_restore", "--no-owner", "--exit-on-error", $"--dbname={restored}", dump);
                await using ServerRun again = await ServerRun.StartAsync(cluster.ConnectionString(restored));
                using (HttpClient ana = Clients.WithToken(again.Url, _team.AnaToken))
                    Assert.Equal(before, await SnapshotAsync(ana));
                Assert.NotEmpty(before);

                // Cora's sign-in from the first server holds on the restored one: the cookie keys are in the database.
                using var sameBrowser = new Browser(again.Url);
                sameBrowser.TakeCookiesOf(cora);
                using HttpResponseMessage coraAfter = await sameBrowser.GetAsync("api/sessions?limit=500");
                Assert.Equal(HttpStatusCode.OK, coraAfter.StatusCode);
                Assert.Equal(coraList, await coraAfter.Content.ReadAsStringAsync());
            }
            finally
            {
                await cluster.DropDatabaseAsync(restored);
            }
        }
    }
}
