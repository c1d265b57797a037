using HingeSensor.Algorithms.Calibration;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.Sessions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HingeSensor.Host.Storage
{
    /// <summary>Where a session came from, for the devices table.</summary>
    public sealed record DeviceIdentityInfo(string Serial, string? Name, string? Address, string? Model, string? Firmware);

    /// <summary>
    /// The host's log of everything: SQLite (WAL), schema versioned with forward-only migrations
    /// (<see cref="Migrations"/>). Imports are idempotent: a device session is identified by the
    /// SHA-256 of its bytes, so downloading it twice stores it once, and two recordings that differ
    /// in one byte are two sessions.
    /// </summary>
    public sealed class SessionDatabase : IDisposable
    {
        private readonly SqliteConnection _db;

        public SessionDatabase(string path)
        {
            Path = path;
            if (Directory.Exists(path))
                throw new DatabaseUnusableException(path, "is a directory, not a database file", $"Name a file, e.g. --db {System.IO.Path.Combine(path, "hinge.db")}.");
            IsNew = !File.Exists(path) || new FileInfo(path).Length == 0;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            try
            {
                _db.Open();
                // Migration 2 computes the digests of the sessions stored before it (SQLite has no SHA-256 of its own).
                _db.CreateFunction("sha256", (byte[]? raw) => raw == null ? null : System.Security.Cryptography.SHA256.HashData(raw), isDeterministic: true);
                // Judged before anything is written: a file that is not hinge's stays byte for byte as it was (WAL mode rewrites the header).
                SchemaMigrator.Migrate(_db, path);
                Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
            }
            catch (Exception e)
            {
                _db.Dispose();
                if (e is SqliteException q && IsDamage(q, opening: true)) throw Damaged(path, $"SQLite: {q.Message}", q);
                throw;
            }
        }

        // Not a database, malformed pages — and SQLite's plain error on the fixed statements hinge
        // runs: a file format it cannot read (a damaged header), tables that are not what the
        // schema version says (a page of the schema damaged, or the file changed outside hinge).
        // While opening, also rows the migrations cannot carry over (constraint, type mismatch):
        // the version read is not the one the tables were made for. Not BUSY, CANTOPEN, READONLY
        // or FULL: those are about the computer, not the file.
        private static bool IsDamage(SqliteException q, bool opening = false) =>
            q.SqliteErrorCode == raw.SQLITE_NOTADB || q.SqliteErrorCode == raw.SQLITE_CORRUPT || q.SqliteErrorCode == raw.SQLITE_ERROR
            || (opening && (q.SqliteErrorCode == raw.SQLITE_CONSTRAINT || q.SqliteErrorCode == raw.SQLITE_MISMATCH));

        private static DatabaseUnusableException Damaged(string path, string detail, Exception inner) =>
            new(path, $"is damaged or not a database ({detail})",
                $"{DatabaseUnusableException.StartAfresh(path)} The sessions in it may be rescued with `sqlite3 {path} .recover`.", inner);

        /// <summary>
        /// Runs a statement. Damage past the pages the open reads shows only when a read reaches
        /// it, and is said as at the open: the file named, kept.
        /// </summary>
        private T Intact<T>(Func<T> run)
        {
            try { return run(); }
            catch (SqliteException q) when (IsDamage(q)) { throw Damaged(Path, $"SQLite: {q.Message}", q); }
        }

        /// <summary>Reads one row's values: a row that no longer has the shape hinge wrote (a NULL, text or a blob where a number was) is damage too.</summary>
        private T Row<T>(Func<T> read)
        {
            try { return read(); }
            catch (Exception e) when (e is InvalidOperationException || e is InvalidCastException || e is FormatException || e is OverflowException)
            {
                throw Damaged(Path, $"a row is not as hinge wrote it: {e.Message}", e);
            }
        }

        public string Path { get; }

        /// <summary>True when there was no database at <see cref="Path"/> (or an empty file) and this one has just been made.</summary>
        public bool IsNew { get; }

        public int SchemaVersion => Convert.ToInt32(Scalar("SELECT version FROM schema_version"));

        private void Exec(string sql, SqliteTransaction? tx = null)
        {
            using var c = _db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = sql;
            c.ExecuteNonQuery();
        }

        private object? Scalar(string sql, SqliteTransaction? tx = null, params (string, object?)[] args) => Intact(() =>
        {
            using var c = _db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = sql;
            foreach (var (n, v) in args) c.Parameters.AddWithValue(n, v ?? DBNull.Value);
            return c.ExecuteScalar();
        });

        private long DeviceId(DeviceIdentityInfo d, SqliteTransaction tx)
        {
            string now = DateTimeOffset.UtcNow.ToString("O");
            object? id = Scalar("SELECT id FROM devices WHERE serial = $s", tx, ("$s", d.Serial));
            if (id is long existing)
            {
                using var u = _db.CreateCommand();
                u.Transaction = tx;
                u.CommandText = "UPDATE devices SET last_seen = $t, name = COALESCE($n, name), address = COALESCE($a, address), model = COALESCE($m, model), firmware = COALESCE($f, firmware) WHERE id = $id";
                u.Parameters.AddWithValue("$t", now);
                u.Parameters.AddWithValue("$n", (object?)d.Name ?? DBNull.Value);
                u.Parameters.AddWithValue("$a", (object?)d.Address ?? DBNull.Value);
                u.Parameters.AddWithValue("$m", (object?)d.Model ?? DBNull.Value);
                u.Parameters.AddWithValue("$f", (object?)d.Firmware ?? DBNull.Value);
                u.Parameters.AddWithValue("$id", existing);
                u.ExecuteNonQuery();
                return existing;
            }
            return (long)Scalar("INSERT INTO devices (serial, name, address, model, firmware, first_seen, last_seen) VALUES ($s, $n, $a, $m, $f, $t, $t) RETURNING id", tx,
                ("$s", d.Serial), ("$n", d.Name), ("$a", d.Address), ("$m", d.Model), ("$f", d.Firmware), ("$t", now))!;
        }

        /// <summary>
        /// Stores a downloaded session (its bytes and everything decoded from them). Returns the
        /// session's row id and whether it was new (false: these exact bytes were already stored,
        /// nothing changed). A session that does not decode throws <see cref="InvalidDataException"/>
        /// and stores nothing (see <see cref="Quarantine"/>).
        /// </summary>
        public (long Id, bool Inserted) ImportDeviceSession(DeviceIdentityInfo device, byte[] raw)
        {
            DecodedSession d = DecodedSession.Decode(raw, raw.Length);
            byte[] digest = System.Security.Cryptography.SHA256.HashData(raw);
            uint crc = System.IO.Hashing.Crc32.HashToUInt32(raw);
            using var tx = _db.BeginTransaction();
            if (Scalar("SELECT id FROM sessions WHERE digest = $g", tx, ("$g", digest)) is long id)
            {
                tx.Commit();
                return (id, false);
            }
            long deviceId = DeviceId(device, tx);
            var config = new byte[DeviceConfig.MaxEncodedLength];
            int configLength = d.Header.Config.Encode(config, 0);
            long sessionId = (long)Scalar(
                "INSERT INTO sessions (device_id, device_session_id, source, crc32, length, start_unix_ms, frame_rate, duration_s, closed, imported_at, height_cm, config, raw, session_uid, digest) " +
                "VALUES ($d, $s, 'device', $c, $l, $st, $fr, $du, $cl, $im, $h, $cfg, $raw, $uid, $g) RETURNING id", tx,
                ("$d", deviceId), ("$s", d.Header.SessionId), ("$c", (long)crc), ("$l", raw.Length), ("$st", d.Header.StartUnixMs),
                ("$fr", (double)d.Header.FrameRateHz), ("$du", d.DurationS), ("$cl", d.Closed ? 1 : 0), ("$im", DateTimeOffset.UtcNow.ToString("O")),
                ("$h", (double)d.Header.Config.HeightCm), ("$cfg", config[..configLength]), ("$raw", raw),
                ("$uid", d.Header.SessionUid != 0 ? (object)d.Header.SessionUid : null), ("$g", digest))!;
            InsertCalibration(sessionId, d.Header.Calibration, tx);
            InsertFrames(sessionId, d.Frames.Select(f => new StoredFrame(f.TimeS, f.HeadSag, f.HeadLat, f.UpperSag, f.UpperLat, f.SacrumSag, f.SacrumLat, f.ValidMask)), tx);
            InsertEvents(sessionId, d.Events, tx);
            InsertReps(sessionId, d.Reps.Select(ToStored), tx);
            InsertAlerts(sessionId, AlertsFromEvents(d.Events, d.DurationS), tx);
            tx.Commit();
            return (sessionId, true);
        }

        /// <summary>
        /// Keeps a downloaded session that does not decode, byte for byte, with the reason: it is
        /// listed, never analysed, and the device is not told to let go of it. Idempotent by digest.
        /// </summary>
        public (long Id, bool Inserted) Quarantine(DeviceIdentityInfo device, int deviceSessionId, byte[] raw, string reason)
        {
            byte[] digest = System.Security.Cryptography.SHA256.HashData(raw);
            using var tx = _db.BeginTransaction();
            if (Scalar("SELECT id FROM quarantine WHERE digest = $g", tx, ("$g", digest)) is long id)
            {
                tx.Commit();
                return (id, false);
            }
            long q = (long)Scalar("INSERT INTO quarantine (device_id, device_session_id, digest, length, reason, received_at, raw) VALUES ($d, $s, $g, $l, $r, $t, $raw) RETURNING id", tx,
                ("$d", DeviceId(device, tx)), ("$s", deviceSessionId), ("$g", digest), ("$l", raw.Length), ("$r", reason), ("$t", DateTimeOffset.UtcNow.ToString("O")), ("$raw", raw))!;
            tx.Commit();
            return (q, true);
        }

        public IReadOnlyList<QuarantinedSession> ListQuarantined() => Read(
            "SELECT q.id, d.serial, q.device_session_id, q.length, q.reason, q.received_at FROM quarantine q JOIN devices d ON d.id = q.device_id ORDER BY q.id",
            r => new QuarantinedSession(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetString(4), r.GetString(5)));

        public byte[]? QuarantinedRaw(long id) => Scalar("SELECT raw FROM quarantine WHERE id = $i", null, ("$i", id)) as byte[];

        /// <summary>
        /// Keeps the checked first bytes of a download that stopped short, for the next download of
        /// the same session (same device, id, length and identity) to resume from.
        /// </summary>
        public void SavePartialDownload(DeviceIdentityInfo device, SessionEntry entry, byte[] received)
        {
            using var tx = _db.BeginTransaction();
            Scalar("INSERT OR REPLACE INTO partial_downloads VALUES ($d, $s, $u, $l, $r, $t)", tx,
                ("$d", DeviceId(device, tx)), ("$s", entry.Id), ("$u", entry.Uid), ("$l", entry.Length), ("$r", received), ("$t", DateTimeOffset.UtcNow.ToString("O")));
            tx.Commit();
        }

        /// <summary>What an earlier download of this very session kept, or null.</summary>
        public byte[]? PartialDownload(DeviceIdentityInfo device, SessionEntry entry) => Scalar(
            "SELECT p.received FROM partial_downloads p JOIN devices d ON d.id = p.device_id WHERE d.serial = $s AND p.device_session_id = $i AND p.length = $l AND p.session_uid = $u",
            null, ("$s", device.Serial), ("$i", entry.Id), ("$l", entry.Length), ("$u", entry.Uid)) as byte[];

        public void DiscardPartialDownload(DeviceIdentityInfo device, int deviceSessionId) => Scalar(
            "DELETE FROM partial_downloads WHERE device_session_id = $i AND device_id = (SELECT id FROM devices WHERE serial = $s)",
            null, ("$s", device.Serial), ("$i", deviceSessionId));

        /// <summary>The digest of the newest stored session with this device id on this device (what `device erase` names), or null.</summary>
        public byte[]? StoredDigest(string serial, int deviceSessionId) => Scalar(
            "SELECT s.digest FROM sessions s JOIN devices d ON d.id = s.device_id WHERE d.serial = $s AND s.device_session_id = $i ORDER BY s.id DESC LIMIT 1",
            null, ("$s", serial), ("$i", deviceSessionId)) as byte[];

        /// <summary>Stores an analysed raw recording (`hinge analyze --save`): idempotent by file name and content CRC.</summary>
        public (long Id, bool Inserted) ImportAnalysis(string sourceName, uint contentCrc, Analysis.AnalysisResult result, IEnumerable<StoredFrame> frames, double frameRate,
            BodyCalibration? calibration = null)
        {
            using var tx = _db.BeginTransaction();
            object? existing = Scalar("SELECT id FROM sessions WHERE source_name = $n AND crc32 = $c", tx, ("$n", sourceName), ("$c", (long)contentCrc));
            if (existing is long id)
            {
                tx.Commit();
                return (id, false);
            }
            long sessionId = (long)Scalar(
                "INSERT INTO sessions (source, source_name, crc32, length, start_unix_ms, frame_rate, duration_s, closed, imported_at, height_cm) " +
                "VALUES ('analyze', $n, $c, 0, 0, $fr, $du, 1, $im, $h) RETURNING id", tx,
                ("$n", sourceName), ("$c", (long)contentCrc), ("$fr", frameRate), ("$du", result.DurationS), ("$im", DateTimeOffset.UtcNow.ToString("O")), ("$h", result.Config.HeightCm))!;
            if (calibration != null) InsertCalibration(sessionId, calibration, tx);
            InsertFrames(sessionId, frames, tx);
            InsertReps(sessionId, result.Reps.Select(r => new StoredRep(r.Number, r.Counted, r.StartS, r.EndS, r.DepthDeg, r.DescentS, r.BottomS, r.AscentS,
                r.MaxTrunkFlexionDeg, r.MaxHeadFlexionDeg, r.MinHeadFlexionDeg, r.MaxHingeDeg, r.Faults)
            {
                Pattern = r.Pattern, Lockout = r.Lockout, DepthReached = r.Pattern == "unknown" ? null : r.DepthReached,
                PelvisShare = r.Pattern == "unknown" ? double.NaN : r.PelvisShare, SacrumDropCm = r.Pattern == "unknown" ? double.NaN : r.SacrumDropCm,
            }), tx);
            InsertAlerts(sessionId, result.Alerts.Select(ToStored), tx);
            tx.Commit();
            return (sessionId, true);
        }

        // A rep of firmware 1.x has no shape: its pattern reads Unknown, and its other shape fields are not zeros but unknown.
        private static StoredRep ToStored(Rep r) => new(r.Number, r.Counted, r.StartS, r.EndS, r.DepthDeg, r.DescentS, r.BottomS, r.AscentS,
            r.MaxTrunkFlexionDeg, r.MaxHeadFlexionDeg, r.MinHeadFlexionDeg, r.MaxHingeAngleDeg,
            new[] { Fault.BackRounding, Fault.ChinDrop, Fault.HeadUp }.Where(f => Faults.Has(r.FaultMask, f)).Select(Faults.Name).ToList())
        {
            Pattern = RepPatterns.Name(r.Pattern), Lockout = Lockouts.Name(r.Lockout),
            DepthReached = r.Pattern == RepPattern.Unknown ? null : r.DepthReached,
            PelvisShare = r.Pattern == RepPattern.Unknown ? double.NaN : r.PelvisShare,
            SacrumDropCm = r.Pattern == RepPattern.Unknown ? double.NaN : r.SacrumDropCm,
        };

        private static StoredAlert ToStored(AlertRecord a) => new(a.Fault, a.OnsetS, a.StartS, a.EndS, a.PeakDeg, a.Corrected);

        /// <summary>Alert spans from a session's recorded alignment events (<see cref="AlertSpans"/>: a recorded event has no onset).</summary>
        public static List<StoredAlert> AlertsFromEvents(IEnumerable<SessionEvent> events, double endS)
        {
            var spans = new AlertSpans();
            foreach (SessionEvent e in events.Where(e => e.Kind == SessionEventKind.Alignment))
            {
                double t = e.TimeMs / 1000.0;
                spans.Add((AlignmentEventKind)e.A, (Fault)e.B, t, t, e.Value / 100.0);
            }
            return spans.Finish(endS).Select(ToStored).ToList();
        }

        private void InsertCalibration(long sessionId, BodyCalibration body, SqliteTransaction tx)
        {
            using var c = _db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = "INSERT INTO calibrations VALUES ($s, $seg, $n, $h, $w, $x, $y, $z, $sp, $pl, $ti, $r)";
            var ps = new[] { "$s", "$seg", "$n", "$h", "$w", "$x", "$y", "$z", "$sp", "$pl", "$ti", "$r" }.Select(n => c.Parameters.Add(n, SqliteType.Real)).ToArray();
            for (int s = 0; s < 3; s++)
            {
                var cal = body.Segments[s];
                object[] v = { sessionId, s, cal.HasNeutral ? 1 : 0, cal.HasHinge ? 1 : 0, (double)cal.SegmentToSensor.W, (double)cal.SegmentToSensor.X, (double)cal.SegmentToSensor.Y,
                    (double)cal.SegmentToSensor.Z, (double)cal.NeutralSpreadDeg, (double)cal.HingePlanarity, (double)cal.HingeAxisTiltDeg,
                    body.HasRange ? body.RangeTrunkFlexionDeg : DBNull.Value };
                for (int i = 0; i < ps.Length; i++) ps[i].Value = v[i];
                c.ExecuteNonQuery();
            }
        }

        // Frames are most of what a session holds (25–50 a second): they go through SQLite's own
        // prepared statement, bound by position without boxing, which is several times cheaper per
        // row than the ADO.NET parameter path (see `hinge bench host`). Same connection, same transaction.
        private void InsertFrames(long sessionId, IEnumerable<StoredFrame> frames, SqliteTransaction tx)
        {
            sqlite3 db = _db.Handle!;
            Check(raw.sqlite3_prepare_v2(db, "INSERT INTO frames VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", out sqlite3_stmt stmt), db);
            using (stmt)
            {
                int k = 0;
                foreach (StoredFrame f in frames)
                {
                    raw.sqlite3_bind_int64(stmt, 1, sessionId);
                    raw.sqlite3_bind_int64(stmt, 2, k++);
                    raw.sqlite3_bind_double(stmt, 3, f.TimeS);
                    Bind(stmt, 4, f.HeadSag); Bind(stmt, 5, f.HeadLat); Bind(stmt, 6, f.UpperSag);
                    Bind(stmt, 7, f.UpperLat); Bind(stmt, 8, f.SacrumSag); Bind(stmt, 9, f.SacrumLat);
                    raw.sqlite3_bind_int64(stmt, 10, f.Valid);
                    int rc = raw.sqlite3_step(stmt);
                    if (rc != raw.SQLITE_DONE) Check(rc, db);
                    raw.sqlite3_reset(stmt);
                }
            }
        }

        private static void Bind(sqlite3_stmt stmt, int index, float v)
        {
            if (float.IsNaN(v)) raw.sqlite3_bind_null(stmt, index);
            else raw.sqlite3_bind_double(stmt, index, v);
        }

        private static void Check(int rc, sqlite3 db)
        {
            if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }


        private void InsertEvents(long sessionId, IEnumerable<SessionEvent> events, SqliteTransaction tx)
        {
            int k = 0;
            foreach (SessionEvent e in events)
                Scalar("INSERT INTO events VALUES ($s, $q, $t, $k, $a, $b, $v)", tx, ("$s", sessionId), ("$q", k++), ("$t", e.TimeMs / 1000.0), ("$k", (int)e.Kind), ("$a", e.A), ("$b", e.B), ("$v", e.Value));
        }

        private void InsertReps(long sessionId, IEnumerable<StoredRep> reps, SqliteTransaction tx)
        {
            int k = 0;
            foreach (StoredRep r in reps)
                Scalar("INSERT INTO reps (session_id, seq, number, counted, start_s, end_s, depth_deg, descent_s, bottom_s, ascent_s, max_trunk_flexion_deg, max_head_flexion_deg, min_head_flexion_deg, max_hinge_deg, faults, pattern, lockout, depth_reached, pelvis_share, sacrum_drop_cm) " +
                    "VALUES ($s, $q, $n, $c, $st, $en, $d, $de, $bo, $as, $mt, $mh, $mi, $hi, $f, $pa, $lo, $dr, $ps, $sd)", tx,
                    ("$s", sessionId), ("$q", k++), ("$n", r.Number), ("$c", r.Counted ? 1 : 0), ("$st", r.StartS), ("$en", r.EndS), ("$d", r.DepthDeg),
                    ("$de", r.DescentS), ("$bo", r.BottomS), ("$as", r.AscentS), ("$mt", Nan(r.MaxTrunkFlexionDeg)), ("$mh", Nan(r.MaxHeadFlexionDeg)),
                    ("$mi", Nan(r.MinHeadFlexionDeg)), ("$hi", Nan(r.MaxHingeDeg)), ("$f", string.Join(",", r.Faults)),
                    ("$pa", r.Pattern), ("$lo", r.Lockout), ("$dr", r.DepthReached is bool b ? (b ? 1 : 0) : DBNull.Value),
                    ("$ps", Nan(r.PelvisShare)), ("$sd", Nan(r.SacrumDropCm)));
        }

        private static object Nan(double v) => double.IsNaN(v) ? DBNull.Value : v;

        private void InsertAlerts(long sessionId, IEnumerable<StoredAlert> alerts, SqliteTransaction tx)
        {
            int k = 0;
            foreach (StoredAlert a in alerts)
                Scalar("INSERT INTO alerts VALUES ($s, $q, $f, $o, $st, $en, $p, $c)", tx,
                    ("$s", sessionId), ("$q", k++), ("$f", a.Fault), ("$o", a.OnsetS), ("$st", a.StartS), ("$en", a.EndS), ("$p", a.PeakDeg), ("$c", a.Corrected ? 1 : 0));
        }

        public IReadOnlyList<StoredSessionSummary> ListSessions() => Intact(() =>
        {
            using var c = _db.CreateCommand();
            c.CommandText = """
                SELECT s.id, s.source, COALESCE(d.serial, s.source_name), s.device_session_id, s.start_unix_ms, s.duration_s,
                       (SELECT COUNT(*) FROM reps r WHERE r.session_id = s.id AND r.counted = 1),
                       (SELECT COUNT(*) FROM alerts a WHERE a.session_id = s.id), s.imported_at, s.crc32
                FROM sessions s LEFT JOIN devices d ON d.id = s.device_id ORDER BY s.id
                """;
            using var r = c.ExecuteReader();
            var list = new List<StoredSessionSummary>();
            while (r.Read())
                list.Add(Row(() => new StoredSessionSummary(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? "" : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                    r.GetInt64(4), r.GetDouble(5), r.GetInt32(6), r.GetInt32(7), r.GetString(8), (uint)r.GetInt64(9))));
            return (IReadOnlyList<StoredSessionSummary>)list;
        });

        public StoredSession? GetSession(long id)
        {
            StoredSessionSummary? summary = ListSessions().FirstOrDefault(s => s.Id == id);
            if (summary == null) return null;
            object? h = Scalar("SELECT COALESCE(height_cm, 175) FROM sessions WHERE id = $i", null, ("$i", id));
            double height = Row(() => Convert.ToDouble(h, CultureInfo.InvariantCulture));
            var cal = Read($"SELECT segment, has_neutral, has_hinge, neutral_spread_deg, hinge_planarity, hinge_axis_tilt_deg, range_trunk_flexion_deg FROM calibrations WHERE session_id = {id} ORDER BY segment",
                r => new StoredCalibration(r.GetInt32(0), r.GetInt32(1) != 0, r.GetInt32(2) != 0, r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)));
            var reps = Read($"SELECT number, counted, start_s, end_s, depth_deg, descent_s, bottom_s, ascent_s, max_trunk_flexion_deg, max_head_flexion_deg, min_head_flexion_deg, max_hinge_deg, faults, pattern, lockout, depth_reached, pelvis_share, sacrum_drop_cm FROM reps WHERE session_id = {id} ORDER BY seq",
                r => new StoredRep(r.GetInt32(0), r.GetInt32(1) != 0, r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), D(r, 5), D(r, 6), D(r, 7), D(r, 8), D(r, 9), D(r, 10), D(r, 11),
                    r.GetString(12).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    Pattern = r.GetString(13), Lockout = r.GetString(14), DepthReached = r.IsDBNull(15) ? null : r.GetInt32(15) != 0,
                    PelvisShare = D(r, 16), SacrumDropCm = D(r, 17),
                });
            var alerts = Read($"SELECT fault, onset_s, start_s, end_s, peak_deg, corrected FROM alerts WHERE session_id = {id} ORDER BY seq",
                r => new StoredAlert(r.GetString(0), D(r, 1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), r.GetInt32(5) != 0));
            var frames = Read($"SELECT t_s, head_sag, head_lat, upper_sag, upper_lat, sacrum_sag, sacrum_lat, valid FROM frames WHERE session_id = {id} ORDER BY idx",
                r => new StoredFrame(r.GetDouble(0), F(r, 1), F(r, 2), F(r, 3), F(r, 4), F(r, 5), F(r, 6), r.GetInt32(7)));
            var (thresholds, percent) = Thresholds(id);
            return new StoredSession(summary, height, cal, reps, alerts, frames, thresholds) { BackRoundingPercentOfRange = percent };
        }

        // The thresholds the session was judged with: the device's config for device sessions, the defaults otherwise.
        // Back rounding by the device's own rule: a share of the wearer's range when the config asks for
        // it and the session's calibration has a range, degrees otherwise.
        private (Dictionary<string, double> Deg, double? BackRoundingPercent) Thresholds(long id)
        {
            var config = new DeviceConfig();
            if (Scalar("SELECT config FROM sessions WHERE id = $i", null, ("$i", id)) is byte[] b) DeviceConfig.Decode(b, 0, b.Length, config);
            var settings = new HingeSensor.Algorithms.Pipeline.TrackerSettings();
            config.ApplyTo(settings);
            object? range = Scalar("SELECT range_trunk_flexion_deg FROM calibrations WHERE session_id = $i AND range_trunk_flexion_deg IS NOT NULL", null, ("$i", id));
            float rangeDeg = range is double r ? (float)r : 0f;
            double rounding = settings.Alignment.ThresholdDeg(HingeSensor.Algorithms.Alignment.Fault.BackRounding, rangeDeg > 0f, rangeDeg);
            var thresholds = new Dictionary<string, double>
            {
                ["back_rounding"] = Math.Round(rounding, 1),
                ["chin_drop"] = config.ChinDropTenthsDeg / 10.0,
                ["head_up"] = config.HeadUpTenthsDeg / 10.0,
                ["gate_open_torso"] = config.GateOpenTenthsDeg / 10.0,
            };
            return (thresholds, settings.Alignment.UseRangePercent && rangeDeg > 0f ? config.BackRoundingPercent : null);
        }

        public byte[]? RawSession(long id) => Scalar("SELECT raw FROM sessions WHERE id = $i", null, ("$i", id)) as byte[];

        private static double D(SqliteDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);
        private static float F(SqliteDataReader r, int i) => r.IsDBNull(i) ? float.NaN : (float)r.GetDouble(i);

        private List<T> Read<T>(string sql, Func<SqliteDataReader, T> map) => Intact(() =>
        {
            using var c = _db.CreateCommand();
            c.CommandText = sql;
            using var r = c.ExecuteReader();
            var list = new List<T>();
            while (r.Read()) list.Add(Row(() => map(r)));
            return list;
        });

        public void Dispose() => _db.Dispose();
    }
}
