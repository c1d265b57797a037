namespace HingeSensor.Server.Schema
{
    /// <summary>
    /// The server's schema, forward only: migration N brings version N−1 to N and is never edited
    /// once released (a change is a new migration). <see cref="SchemaMigrator"/> runs the missing
    /// ones at start, in one transaction under a lock.
    /// </summary>
    internal static class Migrations
    {
        public static readonly (string Name, string Sql)[] Scripts =
        {
            ("teams, people, devices, upload tokens, sessions, uploads", """
                CREATE TABLE teams (
                    id          bigserial PRIMARY KEY,
                    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
                    created_at  timestamptz NOT NULL DEFAULT now()
                );

                -- A person: an account (with a password, to sign in to the web pages) or only an
                -- owner of sessions and upload tokens (no password: an athlete who only syncs).
                CREATE TABLE people (
                    id             bigserial PRIMARY KEY,
                    email          text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
                    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
                    password_hash  text,
                    created_at     timestamptz NOT NULL DEFAULT now(),
                    disabled_at    timestamptz
                );
                CREATE UNIQUE INDEX people_email ON people (email);

                -- The role is per team: a coach (or clinician) of one team may be an athlete (or patient) in another.
                CREATE TABLE memberships (
                    team_id    bigint NOT NULL REFERENCES teams (id),
                    person_id  bigint NOT NULL REFERENCES people (id),
                    role       text NOT NULL CHECK (role IN ('coach', 'athlete')),
                    PRIMARY KEY (team_id, person_id)
                );
                CREATE INDEX memberships_person ON memberships (person_id);

                -- A device is registered to one person: sessions recorded on it are that person's.
                CREATE TABLE devices (
                    id          bigserial PRIMARY KEY,
                    serial      text NOT NULL UNIQUE CHECK (length(serial) BETWEEN 1 AND 16),
                    person_id   bigint NOT NULL REFERENCES people (id),
                    firmware    text NOT NULL,
                    first_seen  timestamptz NOT NULL DEFAULT now(),
                    last_seen   timestamptz NOT NULL DEFAULT now()
                );

                -- Upload tokens: only the SHA-256 of the secret is kept (256 random bits need no KDF).
                CREATE TABLE upload_tokens (
                    id            bigserial PRIMARY KEY,
                    person_id     bigint NOT NULL REFERENCES people (id),
                    label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
                    secret_sha256 bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
                    created_at    timestamptz NOT NULL DEFAULT now(),
                    last_used_at  timestamptz,
                    revoked_at    timestamptz
                );
                CREATE INDEX upload_tokens_person ON upload_tokens (person_id);

                -- One row per stored session: who, which device, when, and the summaries the views
                -- need, computed once from the file at upload. The file itself is in session_files.
                CREATE TABLE sessions (
                    id                    bigserial PRIMARY KEY,
                    digest                bytea NOT NULL UNIQUE CHECK (length(digest) = 32),
                    person_id             bigint NOT NULL REFERENCES people (id),
                    device_id             bigint NOT NULL REFERENCES devices (id),
                    device_session_id     integer NOT NULL,
                    session_uid           bigint,
                    format                smallint NOT NULL,
                    firmware              text NOT NULL,
                    started_at            timestamptz NOT NULL,
                    frame_rate_hz         real NOT NULL,
                    duration_s            double precision NOT NULL CHECK (duration_s >= 0),
                    closed                boolean NOT NULL,
                    frames                integer NOT NULL CHECK (frames >= 0),
                    reps                  integer NOT NULL CHECK (reps >= 0),
                    reps_with_fault       integer NOT NULL CHECK (reps_with_fault BETWEEN 0 AND reps),
                    reps_depth_reached    integer NOT NULL CHECK (reps_depth_reached BETWEEN 0 AND reps),
                    reps_depth_known      integer NOT NULL CHECK (reps_depth_known BETWEEN reps_depth_reached AND reps),
                    back_rounding_alerts  integer NOT NULL CHECK (back_rounding_alerts >= 0),
                    chin_drop_alerts      integer NOT NULL CHECK (chin_drop_alerts >= 0),
                    head_up_alerts        integer NOT NULL CHECK (head_up_alerts >= 0),
                    alert_s               double precision NOT NULL CHECK (alert_s >= 0),
                    holes                 integer NOT NULL CHECK (holes >= 0),
                    damaged_bytes         integer NOT NULL CHECK (damaged_bytes >= 0),
                    length                integer NOT NULL CHECK (length > 0),
                    uploaded_at           timestamptz NOT NULL DEFAULT now(),
                    upload_token_id       bigint REFERENCES upload_tokens (id)
                );
                -- Paged listings, newest first, per person (an athlete's own, a coach's team through memberships).
                CREATE INDEX sessions_person_started ON sessions (person_id, started_at DESC, id DESC);

                -- The session file byte for byte, as the device wrote it (docs/session-format.md): the
                -- frames stay in the device's compact delta encoding, one value per session. Already
                -- dense, so not compressed again.
                CREATE TABLE session_files (
                    session_id  bigint PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
                    data        bytea NOT NULL
                );
                ALTER TABLE session_files ALTER COLUMN data SET STORAGE EXTERNAL;

                -- An upload in progress: what arrived so far, in the pieces it arrived in. Never listed;
                -- it becomes a session (and disappears) only when the whole file is there and checks.
                CREATE TABLE uploads (
                    id          bigserial PRIMARY KEY,
                    person_id   bigint NOT NULL REFERENCES people (id),
                    digest      bytea NOT NULL CHECK (length(digest) = 32),
                    length      integer NOT NULL CHECK (length > 0),
                    received    integer NOT NULL CHECK (received BETWEEN 0 AND length),
                    started_at  timestamptz NOT NULL DEFAULT now(),
                    updated_at  timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (person_id, digest)
                );
                CREATE TABLE upload_parts (
                    upload_id  bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
                    at         integer NOT NULL,
                    data       bytea NOT NULL,
                    PRIMARY KEY (upload_id, at)
                );

                -- The keys that sign sign-in cookies and antiforgery tokens, shared by every server on
                -- this database and kept across restarts.
                CREATE TABLE data_protection_keys (
                    id    bigserial PRIMARY KEY,
                    name  text NOT NULL,
                    xml   text NOT NULL
                );
                """),

            ("session summaries for the coach views: median depth, summary version, weekly index", """
                -- The median over a session's counted reps of each rep's deepest torso angle, as `hinge
                -- trends` shows it (NULL: no counted reps). Sessions stored before this migration are
                -- at summary_version 1 and get it from their file at the next start (SummaryBackfill).
                ALTER TABLE sessions ADD COLUMN median_depth_deg real;
                ALTER TABLE sessions ADD COLUMN summary_version smallint NOT NULL DEFAULT 1;
                CREATE INDEX sessions_summary_stale ON sessions (id) WHERE summary_version < 2;

                -- The team page's weekly sums: one range per member over (person, start), answered from
                -- the index alone (the summaries it adds up are included).
                CREATE INDEX sessions_person_week ON sessions (person_id, started_at)
                    INCLUDE (reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, duration_s);
                """),
        };

        public static int Latest => Scripts.Length;
    }
}
