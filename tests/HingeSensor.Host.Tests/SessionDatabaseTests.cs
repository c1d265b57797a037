using HingeSensor.TestSupport;
using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Storage;
using HingeSensor.Host.Tests.Device;
using Microsoft.Data.Sqlite;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>The session log: its schema, idempotent imports, and what it refuses.</summary>
    [Collection(RecordedFlashCollection.Name)]
    public class SessionDatabaseTests
    {
        private readonly RecordedFlash _flash;

        public SessionDatabaseTests(RecordedFlash flash) => _flash = flash;

        private static readonly DeviceIdentityInfo Device = new("HS1-000042", "HingeSensor", "AA:BB:CC:DD:EE:FF", "HS1", "1.0.0");

        [Fact]
        public void A_session_judged_by_a_share_of_the_wearers_range_reports_that_threshold_in_degrees()
        {
            // A session as the device writes it, with thresholds as a share of the range calibration.
            var flash = new HingeSensor.VirtualDevice.Models.FlashModel(256 * 1024);
            var store = new HingeSensor.Nano.Core.Storage.SessionStore(flash, "/hinge/", new HingeSensor.VirtualDevice.Models.SeededRandom(1));
            store.Recover();
            var recorder = new HingeSensor.Nano.Core.Storage.SessionRecorder(store, flash);
            var header = new HingeSensor.Protocol.SessionHeader { DeviceSerial = "HS1-000042", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 };
            header.Config.Flags |= HingeSensor.Protocol.DeviceConfig.FlagRangePercent;
            header.Config.BackRoundingPercent = 60;
            header.Calibration.HasRange = true;
            header.Calibration.RangeTrunkFlexionDeg = 80f;
            var session = recorder.Start(header, 0f)!;
            var m = new HingeSensor.Algorithms.Posture.PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < 50; k++)
            {
                m.TimeS = k * 0.04f;
                m.UpperBackSagittalDeg = k;
                recorder.AddFrame(m);
            }
            recorder.Stop(HingeSensor.Nano.Core.Storage.StopReason.Requested, 2f);
            var bytes = new byte[session.Length];
            Assert.Equal(bytes.Length, store.Read(session, 0, bytes, 0, bytes.Length));

            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            var (id, _) = db.ImportDeviceSession(Device, bytes);
            StoredSession stored = db.GetSession(id)!;
            Assert.Equal(48.0, stored.ThresholdsDeg["back_rounding"], 1); // 60 % of 80°, as the device judged it
            Assert.Equal(60.0, stored.BackRoundingPercentOfRange);
            string html = HingeSensor.Host.Reports.SessionReportPage.Render(stored);
            Assert.Contains("60 % of the wearer's calibrated flexion range: 48.0°", html);
            Assert.Contains("data-threshold=\"back_rounding\" data-value-deg=\"48", html);

            // Without the range share the same config judges in degrees (20° by default) and says nothing of a range.
            Assert.Equal(20.0, db.GetSession(db.ImportDeviceSession(Device, _flash.Bytes).Id)!.ThresholdsDeg["back_rounding"], 1);
        }

        [Fact]
        public void A_new_database_is_WAL_at_the_latest_schema_and_a_session_imported_twice_is_stored_once()
        {
            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("sub/hinge.db"));
            Assert.Equal(Migrations.Scripts.Length, db.SchemaVersion);
            using (var c = new SqliteConnection($"Data Source={dir.File("sub/hinge.db")};Pooling=False"))
            {
                c.Open();
                using var q = c.CreateCommand();
                q.CommandText = "PRAGMA journal_mode";
                Assert.Equal("wal", q.ExecuteScalar());
            }
            var (id, inserted) = db.ImportDeviceSession(Device, _flash.Bytes);
            Assert.True(inserted);
            var again = db.ImportDeviceSession(Device, _flash.Bytes);
            Assert.Equal((id, false), again);
            Assert.Single(db.ListSessions());
            Assert.Equal(_flash.Bytes, db.RawSession(id));

            StoredSession s = db.GetSession(id)!;
            // Frames before calibration have no angles: stored as NULL, read back as NaN, never as 0.
            Assert.Contains(s.Frames, f => float.IsNaN(f.UpperSag));
            Assert.DoesNotContain(s.Frames, f => f.Valid == 7 && float.IsNaN(f.UpperSag));
            Assert.Equal(s.Frames.Count, s.Frames.Select(f => f.TimeS).Distinct().Count());
        }

        [Fact]
        public void A_database_from_a_newer_hinge_is_refused_and_left_as_it_is()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            new SessionDatabase(path).Dispose();
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var u = c.CreateCommand();
                u.CommandText = $"UPDATE schema_version SET version = {Migrations.Scripts.Length + 1}";
                u.ExecuteNonQuery();
            }
            var e = Assert.Throws<DatabaseUnusableException>(() => new SessionDatabase(path));
            Assert.Contains("Update hinge", e.Message);
            var (code, _, err) = CliTests.Hinge("history", "list", "--db", path);
            Assert.Equal(2, code);
            Assert.Contains("schema version", err);
        }

        [Fact]
        public void A_session_that_does_not_decode_is_refused_and_nothing_is_stored()
        {
            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            byte[] garbage = new byte[600];
            new Random(1).NextBytes(garbage);
            Assert.Contains("session header", Assert.Throws<InvalidDataException>(() => db.ImportDeviceSession(Device, garbage)).Message);
            Assert.Empty(db.ListSessions());
            // And the database still takes a good one afterwards.
            Assert.True(db.ImportDeviceSession(Device, _flash.Bytes).Inserted);
        }

        private delegate void PayloadWriter(ref ByteWriter w);

        // A session file as firmware 1.0 wrote it (format 1, calibration record 1, no identity): two frames and an End chunk.
        private static byte[] FormatOneSession(int deviceSessionId, int angle)
        {
            var file = new MemoryStream();
            var chunk = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
            void Put(int type, uint seq, PayloadWriter write)
            {
                var w = new ByteWriter(chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                write(ref w);
                file.Write(chunk, 0, SessionFormat.Seal(chunk, type, w.Position - SessionFormat.HeaderBytes, seq));
            }
            Put(SessionFormat.ChunkHeader, 0, (ref ByteWriter w) =>
            {
                w.U8(1);
                w.U8(10);
                foreach (char c in "HS1-000042") w.U8(c);
                w.U8(1); w.U8(0); w.U8(0);
                w.U16(deviceSessionId);
                w.I64(1_760_000_000_000);
                w.U32(5000);
                w.U8(25);
                var config = new byte[DeviceConfig.MaxEncodedLength];
                int n = new DeviceConfig().Encode(config, 0);
                w.U8(n);
                w.Bytes(config, 0, n);
                for (int seg = 0; seg < 3; seg++)
                {
                    w.U8(3);                                  // neutral and hinge
                    w.I16(32767); w.I16(0); w.I16(0); w.I16(0); // identity rotation
                    w.I16(50); w.U16(9500); w.I16(120);
                }
                w.U8(0);
                w.I16(0);
            });
            Put(SessionFormat.ChunkFrames, 1, (ref ByteWriter w) =>
            {
                w.U32(0); w.U8(2); w.U8(7);
                for (int i = 0; i < 6; i++) w.I16(angle);
                for (int i = 0; i < 6; i++) w.VarInt(3);
            });
            Put(SessionFormat.ChunkEnd, 2, (ref ByteWriter w) => { w.U32(2); w.U32(80); w.U8(2); });
            return file.ToArray();
        }

        [Fact]
        public void A_database_of_schema_1_is_migrated_its_sessions_get_their_digests_and_a_same_crc_session_is_no_longer_merged()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            byte[] old = FormatOneSession(7, 100);
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                // What hinge wrote before: schema 1, one downloaded session with its frames and calibration.
                c.Open();
                void Exec(string sql, params (string, object)[] args)
                {
                    using var q = c.CreateCommand();
                    q.CommandText = sql;
                    foreach (var (n, v) in args) q.Parameters.AddWithValue(n, v);
                    q.ExecuteNonQuery();
                }
                Exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)");
                Exec(Migrations.Scripts[0]);
                Exec("INSERT INTO devices VALUES (1, 'HS1-000042', NULL, NULL, NULL, NULL, 't', 't')");
                Exec("INSERT INTO sessions (id, device_id, device_session_id, source, crc32, length, start_unix_ms, frame_rate, duration_s, closed, imported_at, raw) " +
                     "VALUES (1, 1, 7, 'device', $c, $l, 1760000000000, 25, 0.08, 1, 't', $r)",
                    ("$c", (long)System.IO.Hashing.Crc32.HashToUInt32(old)), ("$l", old.Length), ("$r", old));
                Exec("INSERT INTO frames VALUES (1, 0, 0, 10, 10, 10, 10, 10, 10, 7)");
                Exec("INSERT INTO calibrations VALUES (1, 0, 1, 1, 1, 0, 0, 0, 0.5, 0.95, 1.2, NULL)");
            }

            using var db = new SessionDatabase(path);

            Assert.Equal(Migrations.Scripts.Length, db.SchemaVersion);
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var q = c.CreateCommand();
                q.CommandText = "SELECT digest FROM sessions WHERE id = 1";
                Assert.Equal(System.Security.Cryptography.SHA256.HashData(old), (byte[])q.ExecuteScalar()!);
                q.CommandText = "PRAGMA foreign_key_check";
                using (var r = q.ExecuteReader()) Assert.False(r.Read());
            }
            StoredSession kept = db.GetSession(1)!;
            Assert.Single(kept.Frames);
            Assert.Single(kept.Calibration);                    // the calibration row stored before is still there
            Assert.Equal((1L, false), db.ImportDeviceSession(Device, old)); // the same bytes: found by their digest
            // A format-1 file decodes, and one with the same device id and CRC-32 but other content is a session of its own.
            byte[] other = FormatOneSession(7, 200);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(old), System.IO.Hashing.Crc32.HashToUInt32(other));
            var (id, inserted) = db.ImportDeviceSession(Device, other);
            Assert.True(inserted);
            Assert.Equal(2, db.ListSessions().Count);
            Assert.Equal(20f, db.GetSession(id)!.Frames[0].UpperSag, 3);
        }
    }
}
