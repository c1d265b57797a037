using System;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.TestSupport;
using Npgsql;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// A database of its own with two teams, and `hinge server` running on it. Rowing: coach Cora,
    /// athletes Ana and Ben; Judo: coach Dan, athlete Eve. Everyone signs in with
    /// <see cref="Password"/>; Ana, Ben and Eve have an upload token each.
    /// </summary>
    public class TeamFixture : IAsyncLifetime
    {
        public const string Password = "correct horse battery";

        private readonly PostgresDatabase _database = new();
        private ServerRun? _server;
        private NpgsqlDataSource? _db;

        public long Rowing, Judo, Cora, Ana, Ben, Dan, Eve;
        public string AnaToken = "", BenToken = "", EveToken = "";

        public PostgresCluster Cluster => _database.Require();
        public ServerRun Server => _server ?? throw new InvalidOperationException("no server: " + (_database.Cluster == null ? "no PostgreSQL" : "not started"));
        public Uri Url => Server.Url;
        public NpgsqlDataSource Db => _db!;
        public AccountStore Accounts => new(Db);
        public string ConnectionString => _database.ConnectionString;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            if (_database.Cluster == null) return; // each test skips (or fails in CI) through Cluster
            // Many sign-ins by the same people across the tests of a class: the limit is LoginThrottleTests' business.
            _server = await ServerRun.StartAsync(_database.ConnectionString, true, "--login-attempts-per-account", "1000", "--login-attempts-per-address", "1000");
            _db = NpgsqlDataSource.Create(_database.ConnectionString);
            AccountStore a = Accounts;
            Rowing = await a.CreateTeamAsync("Rowing");
            Judo = await a.CreateTeamAsync("Judo");
            Cora = await Member(a, Rowing, "cora@rowing.example", "Cora", Roles.Coach);
            Ana = await Member(a, Rowing, "ana@rowing.example", "Ana", Roles.Athlete);
            Ben = await Member(a, Rowing, "ben@rowing.example", "Ben", Roles.Athlete);
            Dan = await Member(a, Judo, "dan@judo.example", "Dan", Roles.Coach);
            Eve = await Member(a, Judo, "eve@judo.example", "Eve", Roles.Athlete);
            AnaToken = (await a.IssueTokenAsync(Ana, "Ana's laptop")).Secret;
            BenToken = (await a.IssueTokenAsync(Ben, "Ben's phone")).Secret;
            EveToken = (await a.IssueTokenAsync(Eve, "Eve's laptop")).Secret;
        }

        private static async Task<long> Member(AccountStore a, long team, string email, string name, string role)
        {
            long id = await a.AddPersonAsync(email, name, Password);
            await a.JoinAsync(team, id, role);
            return id;
        }

        public async Task<long> ScalarAsync(string sql, params object[] args)
        {
            await using NpgsqlCommand c = Db.CreateCommand(sql);
            foreach (object v in args) c.Parameters.AddWithValue(v);
            return Convert.ToInt64(await c.ExecuteScalarAsync());
        }

        public async Task DisposeAsync()
        {
            if (_server != null) await _server.DisposeAsync();
            if (_db != null) await _db.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
