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
        };
    }
}
