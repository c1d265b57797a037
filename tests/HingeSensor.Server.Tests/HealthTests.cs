using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.Server.Schema;
using HingeSensor.TestSupport;
using Npgsql;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>`hinge server` starting: /health is 503 saying why until the database is reachable and migrated, then 200 with the schema version; a newer schema ends it with a sentence.</summary>
    public class HealthTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public HealthTests(PostgresDatabase db) => _db = db;

        /// <summary>A `hinge` command line run in this process, awaited (never blocked on: the test's own context would wait for itself).</summary>
        public static async Task<(int Code, string Out, string Err)> Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = await Task.Run(() => HingeCli.RunAsync(args, o, e, CancellationToken.None));
            return (code, o.ToString(), e.ToString());
        }

        [SkippableFact]
        public async Task Health_is_503_until_the_database_exists_and_is_migrated_then_200_with_the_schema_version()
        {
            PostgresCluster cluster = _db.Require();
            string name = "hinge_later_" + Guid.NewGuid().ToString("N")[..8];
            await using ServerRun server = await ServerRun.StartAsync(cluster.ConnectionString(name), waitForHealth: false);
            using var http = new HttpClient { BaseAddress = server.Url };

            using (HttpResponseMessage before = await http.GetAsync("health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
                Assert.Contains($"\"{name}\" does not exist", (await before.JsonAsync()).GetProperty("error").GetString());
            }
            using (var early = new HttpRequestMessage(HttpMethod.Get, "api/sessions"))
            {
                early.Headers.Add("Authorization", "Bearer hst_anything");
                using HttpResponseMessage r = await http.SendAsync(early);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            }

            await cluster.AdminAsync($"CREATE DATABASE {name}");
            JsonElement health = await server.WaitHealthyAsync();
            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal(Migrations.Latest, health.GetProperty("schema_version").GetInt32());
            await ServerRun.WaitFor(() => server.Output.Text, t => t.Contains($"database ready: schema version {Migrations.Latest}"), "the ready line");
            await server.DisposeAsync();
            Assert.Equal(0, await server.Exit);
            await cluster.DropDatabaseAsync(name);
        }

        [SkippableFact]
        public async Task A_server_older_than_the_database_exits_2_saying_so_and_changes_nothing()
        {
            PostgresCluster cluster = _db.Require();
            string name = await cluster.CreateDatabaseAsync("newer");
            await using (NpgsqlDataSource db = NpgsqlDataSource.Create(cluster.ConnectionString(name)))
            {
                await SchemaMigrator.MigrateAsync(db);
                await using NpgsqlCommand c = db.CreateCommand($"INSERT INTO hinge_schema (version, name) VALUES ({Migrations.Latest + 1}, 'newer')");
                await c.ExecuteNonQueryAsync();
            }
            await using ServerRun server = await ServerRun.StartAsync(cluster.ConnectionString(name), waitForHealth: false);
            Task finished = await Task.WhenAny(server.Exit, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == server.Exit, "hinge server went on serving a database of a newer schema");
            Assert.Equal(2, await server.Exit);
            Assert.Contains($"has schema version {Migrations.Latest + 1}, newer than this server knows (up to {Migrations.Latest})", server.Error.Text);
            await using (NpgsqlDataSource db = NpgsqlDataSource.Create(cluster.ConnectionString(name)))
                Assert.Equal(Migrations.Latest + 1, await SchemaMigrator.ReadVersionAsync(db));
        }

        [SkippableFact]
        public async Task The_administration_verbs_say_what_they_did_and_what_was_wrong()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(_db.Name);
            using var dir = new TempDir();
            File.WriteAllText(dir.File("pw"), "a long enough password\n");

            Assert.Equal((0, "team 'Clinic' added (id 1)\n"), Outcome(await Hinge("server", "team", "add", "Clinic", "--db", cs)));
            var added = await Hinge("server", "person", "add", "--db", cs, "--email", "Kim@Clinic.example", "--name", "Kim", "--team", "Clinic", "--role", "clinician", "--password-file", dir.File("pw"));
            Assert.Equal(0, added.Code);
            Assert.Contains("kim@clinic.example added", added.Out);
            Assert.Contains("coach in Clinic", added.Out);
            var token = await Hinge("server", "token", "new", "--db", cs, "--email", "kim@clinic.example", "--label", "Kim's laptop");
            Assert.Equal(0, token.Code);
            Assert.StartsWith("hst_", token.Out.Trim());
            Assert.Contains("shown this once", token.Err);

            var badRole = await Hinge("server", "person", "add", "--db", cs, "--email", "lee@clinic.example", "--name", "Lee", "--team", "Clinic", "--role", "boss");
            Assert.Equal(2, badRole.Code);
            Assert.Contains("role 'boss' does not exist: coach (or clinician), athlete (or patient)", badRole.Err);
            var again = await Hinge("server", "team", "add", "Clinic", "--db", cs);
            Assert.Equal((2, "hinge server team add: team 'Clinic' exists already\n"), (again.Code, again.Err));
            var nobody = await Hinge("server", "token", "new", "--db", cs, "--email", "nobody@clinic.example");
            Assert.Equal(2, nobody.Code);
            Assert.Contains("no account for nobody@clinic.example", nobody.Err);
            var unreachable = await Hinge("server", "team", "add", "X", "--db", $"Host=127.0.0.1;Port={cluster.Port};Database=no_such_db;Username={PostgresCluster.AdminUser};Password={cluster.Password}");
            Assert.Equal(2, unreachable.Code);
            Assert.Contains("the database cannot be used", unreachable.Err);

            static (int, string) Outcome((int Code, string Out, string Err) r) => (r.Code, r.Out);
        }
    }
}
