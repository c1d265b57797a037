using System;
using System.Diagnostics;
using System.Threading.Tasks;
using HingeSensor.Server.Schema;
using HingeSensor.TestSupport;
using Npgsql;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>The schema is migrated at start, forward only, once even when servers start together, and a newer schema is refused unchanged.</summary>
    public class MigrationTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public MigrationTests(PostgresDatabase db) => _db = db;

        private async Task<NpgsqlDataSource> FreshDatabaseAsync(string purpose)
        {
            PostgresCluster cluster = _db.Require();
            return NpgsqlDataSource.Create(cluster.ConnectionString(await cluster.CreateDatabaseAsync(purpose)));
        }

        private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
        {
            await using NpgsqlCommand c = db.CreateCommand(sql);
            return Convert.ToInt64(await c.ExecuteScalarAsync());
        }

        [SkippableFact]
        public async Task A_new_database_gets_every_migration_once_and_a_second_start_changes_nothing()
        {
            await using NpgsqlDataSource db = await FreshDatabaseAsync("fresh");
            Assert.Equal(0, await SchemaMigrator.ReadVersionAsync(db));
            Assert.Equal(Migrations.Latest, await SchemaMigrator.MigrateAsync(db));
            Assert.Equal(Migrations.Latest, await SchemaMigrator.ReadVersionAsync(db));
            Assert.Equal(Migrations.Latest, await ScalarAsync(db, "SELECT count(*) FROM hinge_schema"));
            long tables = await ScalarAsync(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");

            Assert.Equal(Migrations.Latest, await SchemaMigrator.MigrateAsync(db));
            Assert.Equal(Migrations.Latest, await ScalarAsync(db, "SELECT count(*) FROM hinge_schema"));
            Assert.Equal(tables, await ScalarAsync(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }

        [SkippableFact]
        public async Task Two_servers_starting_at_once_migrate_once()
        {
            await using NpgsqlDataSource db = await FreshDatabaseAsync("race");
            // Hold the migration lock so that both starts are surely inside MigrateAsync, queued on it, before either can go on.
            await using NpgsqlConnection holder = await db.OpenConnectionAsync();
            await using NpgsqlTransaction held = await holder.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaMigrator.LockKey})", holder, held)) await take.ExecuteNonQueryAsync();

            Task<int> first = Task.Run(() => SchemaMigrator.MigrateAsync(db));
            Task<int> second = Task.Run(() => SchemaMigrator.MigrateAsync(db));
            var waiting = Stopwatch.StartNew();
            while (await ScalarAsync(db, $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") < 2)
            {
                Assert.False(first.IsCompleted || second.IsCompleted, "a start went on without waiting for the migration lock");
                Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(30), "the two starts never both waited on the migration lock");
                await Task.Delay(20);
            }
            await held.CommitAsync();

            Assert.Equal(new[] { Migrations.Latest, Migrations.Latest }, await Task.WhenAll(first, second));
            Assert.Equal(Migrations.Latest, await ScalarAsync(db, "SELECT count(*) FROM hinge_schema"));
        }

        [SkippableFact]
        public async Task A_database_migrated_by_a_newer_server_is_refused_and_left_as_it_is()
        {
            await using NpgsqlDataSource db = await FreshDatabaseAsync("newer");
            await SchemaMigrator.MigrateAsync(db);
            int newer = Migrations.Latest + 1;
            await using (NpgsqlCommand c = db.CreateCommand($"INSERT INTO hinge_schema (version, name) VALUES ({newer}, 'from the future'); CREATE TABLE future_things (id int)"))
                await c.ExecuteNonQueryAsync();

            var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => SchemaMigrator.MigrateAsync(db));
            Assert.Contains($"schema version {newer}, newer than this server knows (up to {Migrations.Latest})", e.Message);
            Assert.Contains("Nothing was changed", e.Message);
            Assert.Equal(newer, await SchemaMigrator.ReadVersionAsync(db));
            Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'future_things'"));
        }

        [SkippableFact]
        public async Task A_database_holding_another_programs_tables_is_refused_untouched()
        {
            await using NpgsqlDataSource db = await FreshDatabaseAsync("foreign");
            await using (NpgsqlCommand c = db.CreateCommand("CREATE TABLE invoices (id int)")) await c.ExecuteNonQueryAsync();

            var e = await Assert.ThrowsAsync<SchemaRefusedException>(() => SchemaMigrator.MigrateAsync(db));
            Assert.Contains("is not a hinge server's", e.Message);
            Assert.Contains("invoices", e.Message);
            Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'hinge_schema'"));
        }
    }
}
