namespace HingeSensor.Host.Storage
{
    /// <summary>
    /// The schema, one script per version; <see cref="SchemaMigrator"/> brings a database forward
    /// (all due scripts in one write transaction), never backward (an older host refuses a newer database).
    /// </summary>
    public static class Migrations
    {
        public static readonly string[] Scripts =
        {
            // 1: devices, sessions and everything a session holds.
            """
            CREATE TABLE devices (
                id INTEGER PRIMARY KEY,
                serial TEXT NOT NULL UNIQUE,
                name TEXT, address TEXT, model TEXT, firmware TEXT,
                first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
            CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                device_id INTEGER REFERENCES devices(id),
                device_session_id INTEGER,
                source TEXT NOT NULL,              -- 'device' (downloaded) or 'analyze' (a raw recording)
                source_name TEXT,
                crc32 INTEGER NOT NULL,
                length INTEGER NOT NULL,
                start_unix_ms INTEGER NOT NULL,
                frame_rate REAL NOT NULL,
                duration_s REAL NOT NULL,
                closed INTEGER NOT NULL,
                imported_at TEXT NOT NULL,
                height_cm REAL,
                config BLOB,
                raw BLOB,                          -- the session file as the device wrote it (device sessions)
                UNIQUE (device_id, device_session_id, crc32),
                UNIQUE (source_name, crc32));
            CREATE TABLE calibrations (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                segment INTEGER NOT NULL,
                has_neutral INTEGER NOT NULL, has_hinge INTEGER NOT NULL,
                q_w REAL, q_x REAL, q_y REAL, q_z REAL,
                neutral_spread_deg REAL, hinge_planarity REAL, hinge_axis_tilt_deg REAL,
                range_trunk_flexion_deg REAL,
                PRIMARY KEY (session_id, segment));
            CREATE TABLE frames (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                t_s REAL NOT NULL,
                head_sag REAL, head_lat REAL, upper_sag REAL, upper_lat REAL, sacrum_sag REAL, sacrum_lat REAL,
                valid INTEGER NOT NULL,
                PRIMARY KEY (session_id, idx)) WITHOUT ROWID;
            CREATE TABLE events (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                t_s REAL NOT NULL, kind INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, value INTEGER NOT NULL,
                PRIMARY KEY (session_id, seq));
            CREATE TABLE reps (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                number INTEGER NOT NULL, counted INTEGER NOT NULL,
                start_s REAL NOT NULL, end_s REAL NOT NULL, depth_deg REAL NOT NULL,
                descent_s REAL, bottom_s REAL, ascent_s REAL,
                max_trunk_flexion_deg REAL, max_head_flexion_deg REAL, min_head_flexion_deg REAL, max_hinge_deg REAL,
                faults TEXT NOT NULL,
                PRIMARY KEY (session_id, seq));
            CREATE TABLE alerts (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                fault TEXT NOT NULL, onset_s REAL, start_s REAL NOT NULL, end_s REAL NOT NULL, peak_deg REAL NOT NULL, corrected INTEGER NOT NULL,
                PRIMARY KEY (session_id, seq));
            CREATE INDEX sessions_by_start ON sessions(start_unix_ms);
            """,

            // 2: a session is its content. Device sessions carry the SHA-256 of their bytes (digest,
            // unique: an import of the same bytes finds it) and their random identity (session_uid,
            // session format 2). UNIQUE (device_id, device_session_id, crc32) goes: the CRC-32 of a
            // whole session file depends only on its chunk lengths (each chunk ends with its own CRC),
            // so it merged different recordings. SQLite drops a table constraint only by rebuilding the
            // table, and with foreign keys on (they cannot be switched off inside a migration's
            // transaction) every table that references it as well. Digests of the sessions already
            // here are computed by sha256(), which SessionDatabase registers on its connection.
            // Also: sessions kept aside because they do not decode (quarantine), and downloads cut
            // short, kept so that the next download resumes (partial_downloads).
            """
            ALTER TABLE sessions RENAME TO sessions_v1;
            CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                device_id INTEGER REFERENCES devices(id),
                device_session_id INTEGER,
                source TEXT NOT NULL,              -- 'device' (downloaded) or 'analyze' (a raw recording)
                source_name TEXT,
                crc32 INTEGER NOT NULL,
                length INTEGER NOT NULL,
                start_unix_ms INTEGER NOT NULL,
                frame_rate REAL NOT NULL,
                duration_s REAL NOT NULL,
                closed INTEGER NOT NULL,
                imported_at TEXT NOT NULL,
                height_cm REAL,
                config BLOB,
                raw BLOB,                          -- the session file as the device wrote it (device sessions)
                session_uid INTEGER,               -- the recording's random identity (format 2), NULL before
                digest BLOB,                       -- SHA-256 of raw (device sessions)
                UNIQUE (source_name, crc32));
            INSERT INTO sessions (id, device_id, device_session_id, source, source_name, crc32, length, start_unix_ms, frame_rate, duration_s,
                                  closed, imported_at, height_cm, config, raw, session_uid, digest)
                SELECT id, device_id, device_session_id, source, source_name, crc32, length, start_unix_ms, frame_rate, duration_s,
                       closed, imported_at, height_cm, config, raw, NULL, sha256(raw) FROM sessions_v1;
            ALTER TABLE calibrations RENAME TO calibrations_v1;
            CREATE TABLE calibrations (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                segment INTEGER NOT NULL,
                has_neutral INTEGER NOT NULL, has_hinge INTEGER NOT NULL,
                q_w REAL, q_x REAL, q_y REAL, q_z REAL,
                neutral_spread_deg REAL, hinge_planarity REAL, hinge_axis_tilt_deg REAL,
                range_trunk_flexion_deg REAL,
                PRIMARY KEY (session_id, segment));
            INSERT INTO calibrations SELECT * FROM calibrations_v1;
            DROP TABLE calibrations_v1;
            ALTER TABLE frames RENAME TO frames_v1;
            CREATE TABLE frames (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                t_s REAL NOT NULL,
                head_sag REAL, head_lat REAL, upper_sag REAL, upper_lat REAL, sacrum_sag REAL, sacrum_lat REAL,
                valid INTEGER NOT NULL,
                PRIMARY KEY (session_id, idx)) WITHOUT ROWID;
            INSERT INTO frames SELECT * FROM frames_v1;
            DROP TABLE frames_v1;
            ALTER TABLE events RENAME TO events_v1;
            CREATE TABLE events (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                t_s REAL NOT NULL, kind INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, value INTEGER NOT NULL,
                PRIMARY KEY (session_id, seq));
            INSERT INTO events SELECT * FROM events_v1;
            DROP TABLE events_v1;
            ALTER TABLE reps RENAME TO reps_v1;
            CREATE TABLE reps (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                number INTEGER NOT NULL, counted INTEGER NOT NULL,
                start_s REAL NOT NULL, end_s REAL NOT NULL, depth_deg REAL NOT NULL,
                descent_s REAL, bottom_s REAL, ascent_s REAL,
                max_trunk_flexion_deg REAL, max_head_flexion_deg REAL, min_head_flexion_deg REAL, max_hinge_deg REAL,
                faults TEXT NOT NULL,
                PRIMARY KEY (session_id, seq));
            INSERT INTO reps SELECT * FROM reps_v1;
            DROP TABLE reps_v1;
            ALTER TABLE alerts RENAME TO alerts_v1;
            CREATE TABLE alerts (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                fault TEXT NOT NULL, onset_s REAL, start_s REAL NOT NULL, end_s REAL NOT NULL, peak_deg REAL NOT NULL, corrected INTEGER NOT NULL,
                PRIMARY KEY (session_id, seq));
            INSERT INTO alerts SELECT * FROM alerts_v1;
            DROP TABLE alerts_v1;
            DROP TABLE sessions_v1;
            CREATE INDEX sessions_by_start ON sessions(start_unix_ms);
            CREATE UNIQUE INDEX sessions_by_digest ON sessions(digest);
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                device_id INTEGER NOT NULL REFERENCES devices(id),
                device_session_id INTEGER NOT NULL,
                digest BLOB NOT NULL UNIQUE,       -- SHA-256 of raw
                length INTEGER NOT NULL,
                reason TEXT NOT NULL,              -- why it does not decode
                received_at TEXT NOT NULL,
                raw BLOB NOT NULL);
            CREATE TABLE partial_downloads (
                device_id INTEGER NOT NULL REFERENCES devices(id),
                device_session_id INTEGER NOT NULL,
                session_uid INTEGER NOT NULL,      -- as the device listed it, 0 when it did not say
                length INTEGER NOT NULL,           -- the session's length on the device
                received BLOB NOT NULL,            -- its first bytes, every chunk in them checked
                updated_at TEXT NOT NULL,
                PRIMARY KEY (device_id, device_session_id));
            """,
            // 3: the rep's shape (issue 12): how the torso got down, how the rep finished, whether it reached the depth.
            // NULL where the source did not say (sessions of firmware 1.x, databases from before).
            """
            ALTER TABLE reps ADD COLUMN pattern TEXT NOT NULL DEFAULT 'unknown';
            ALTER TABLE reps ADD COLUMN lockout TEXT NOT NULL DEFAULT 'unknown';
            ALTER TABLE reps ADD COLUMN depth_reached INTEGER;
            ALTER TABLE reps ADD COLUMN pelvis_share REAL;
            ALTER TABLE reps ADD COLUMN sacrum_drop_cm REAL;
            """,
        };
    }
}
