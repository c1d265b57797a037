using HingeSensor.TestSupport;
using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.TeamServer;
using HingeSensor.Server.Schema;
using HingeSensor.Server.Sessions;
using HingeSensor.Server.Uploads;
using Npgsql;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// Migration 2 adds the median depth the trend views draw. Sessions stored by a version-1 server
    /// have no such column; the server that migrates the database reads their files again and fills
    /// it in the background, as an upload would have.
    /// </summary>
    public class SummaryBackfillTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public SummaryBackfillTests(PostgresDatabase db) => _db = db;

        [SkippableFact]
        public async Task Sessions_stored_at_schema_version_1_get_the_median_depth_from_their_file_after_the_migration()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(await cluster.CreateDatabaseAsync("backfill"));
            await using NpgsqlDataSource db = NpgsqlDataSource.Create(cs);
            Assert.Equal(1, await SchemaMigrator.MigrateAsync(db, 1, CancellationToken.None));

            // Two sessions as a version-1 server stored them (its columns only): one with reps, one without.
            byte[] withReps = SessionFiles.Record("HS-BF-1", 71, reps: 3);
            byte[] noReps = SessionFiles.Record("HS-BF-1", 72, reps: 0, faultyReps: 0);
            await using (NpgsqlCommand c = db.CreateCommand("""
                INSERT INTO people (email, display_name) VALUES ('old@club.example', 'Old');
                INSERT INTO devices (serial, person_id, firmware) VALUES ('HS-BF-1', 1, '1.0.0');
                """)) await c.ExecuteNonQueryAsync();
            long[] ids = { await InsertV1Async(db, withReps, 1), await InsertV1Async(db, noReps, 2) };

            await using ServerRun server = await ServerRun.StartAsync(cs);
            // The back-fill runs after the server is ready: wait for it, bounded.
            await ServerRun.WaitForAsync(() => Scalar(db, "SELECT count(*) FROM sessions WHERE summary_version < 2"), n => n == 0, "the back-fill");

            Assert.Equal(Migrations.Latest, Convert.ToInt32(await Scalar(db, "SELECT max(version) FROM hinge_schema")));
            var inspector = new HostSessionInspector();
            Assert.Equal(inspector.Inspect(withReps).MedianDepthDeg, await MedianAsync(db, ids[0]));
            Assert.Equal(80.0, await MedianAsync(db, ids[0]));
            Assert.Null(await MedianAsync(db, ids[1]));
        }

        private static async Task<long> InsertV1Async(NpgsqlDataSource db, byte[] file, int deviceSessionId)
        {
            InspectedSession s = new HostSessionInspector().Inspect(file);
            await using NpgsqlCommand c = db.CreateCommand("""
                WITH s AS (
                    INSERT INTO sessions (digest, person_id, device_id, device_session_id, format, firmware, started_at, frame_rate_hz, duration_s, closed, frames,
                        reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, alert_s, holes, damaged_bytes, length)
                    VALUES (sha256($1), 1, 1, $2, 2, '1.0.0', to_timestamp($3 / 1000.0), 25, $4, true, $5, $6, $7, $8, $9, 0, 0, 0, 0, 0, 0, length($1))
                    RETURNING id)
                INSERT INTO session_files (session_id, data) SELECT id, $1 FROM s RETURNING session_id
                """);
            foreach (object v in new object[] { file, deviceSessionId, s.StartUnixMs, s.DurationS, s.Frames, s.Reps, s.RepsWithFault, s.RepsDepthReached, s.RepsDepthKnown })
                c.Parameters.AddWithValue(v);
            return (long)(await c.ExecuteScalarAsync())!;
        }

        private static async Task<long> Scalar(NpgsqlDataSource db, string sql)
        {
            await using NpgsqlCommand c = db.CreateCommand(sql);
            return Convert.ToInt64(await c.ExecuteScalarAsync());
        }

        private static async Task<double?> MedianAsync(NpgsqlDataSource db, long id)
        {
            await using NpgsqlCommand c = db.CreateCommand("SELECT median_depth_deg FROM sessions WHERE id = $1");
            c.Parameters.AddWithValue(id);
            return await c.ExecuteScalarAsync() is float f ? f : null;
        }
    }
}
