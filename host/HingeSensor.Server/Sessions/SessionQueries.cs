using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using Npgsql;
using NpgsqlTypes;

namespace HingeSensor.Server.Sessions
{
    /// <summary>A stored session as listed: whose, which device, when, and its summaries.</summary>
    public sealed record SessionRow(long Id, string Digest, long PersonId, string Person, string Device, int DeviceSessionId, DateTimeOffset StartedAt,
        double DurationS, bool Closed, int Frames, int Reps, int RepsWithFault, int RepsDepthReached, int RepsDepthKnown,
        int BackRoundingAlerts, int ChinDropAlerts, int HeadUpAlerts, double AlertS, int Holes, int DamagedBytes, int Length, DateTimeOffset UploadedAt)
    {
        /// <summary>The median over the counted reps of each rep's deepest torso angle, °; null without counted reps (or not yet back-filled, SummaryBackfill).</summary>
        public double? MedianDepthDeg { get; init; }

        /// <summary>Share of counted reps with a fault, null without reps.</summary>
        public double? FaultRate => Reps > 0 ? (double)RepsWithFault / Reps : null;

        /// <summary>Share of the reps whose depth is known that reached the target, null when none is known.</summary>
        public double? DepthShare => RepsDepthKnown > 0 ? (double)RepsDepthReached / RepsDepthKnown : null;
    }

    /// <summary>A page of sessions, newest first, and the cursor of the next page (null: the last page).</summary>
    public sealed record SessionPage(IReadOnlyList<SessionRow> Sessions, string? Next);

    /// <summary>
    /// The sessions a person may see, and nothing else: their own, and those of every member of a
    /// team they coach. The rule is in each query (<see cref="Visible"/>), so no way in can forget
    /// it; a session one may not see is answered like one that does not exist.
    /// </summary>
    public sealed class SessionQueries
    {
        public const int MaxPage = 500;

        private const string Columns = """
            s.id, s.digest, s.person_id, p.display_name, d.serial, s.device_session_id, s.started_at, s.duration_s, s.closed, s.frames,
            s.reps, s.reps_with_fault, s.reps_depth_reached, s.reps_depth_known, s.back_rounding_alerts, s.chin_drop_alerts, s.head_up_alerts,
            s.alert_s, s.holes, s.damaged_bytes, s.length, s.uploaded_at, s.median_depth_deg
            """;

        private const string From = "FROM sessions s JOIN people p ON p.id = s.person_id JOIN devices d ON d.id = s.device_id";

        /// <summary>The people whose sessions viewer $1 sees, as a WITH clause named visible.</summary>
        private const string Visible = """
            WITH visible AS (
                SELECT $1::bigint AS person_id
                UNION
                SELECT a.person_id FROM memberships c JOIN memberships a ON a.team_id = c.team_id WHERE c.person_id = $1 AND c.role = 'coach')
            """;

        private readonly NpgsqlDataSource _db;

        public SessionQueries(NpgsqlDataSource db) => _db = db;

        /// <summary>A page of the sessions <paramref name="viewer"/> sees (of one person, if given), newest first, after <paramref name="cursor"/>.</summary>
        public async Task<SessionPage> ListAsync(long viewer, long? person, string? cursor, int limit, CancellationToken ct = default)
        {
            limit = Math.Clamp(limit, 1, MaxPage);
            (DateTimeOffset? before, long beforeId) = ParseCursor(cursor);
            await using NpgsqlCommand c = ListCommand(_db.CreateCommand(), viewer, person, before, beforeId, limit + 1);
            List<SessionRow> rows = await ReadAsync(c, ct);
            string? next = null;
            if (rows.Count > limit)
            {
                rows.RemoveAt(limit);
                SessionRow last = rows[^1];
                next = $"{(last.StartedAt - DateTimeOffset.UnixEpoch).Ticks / 10}.{last.Id}";
            }
            return new SessionPage(rows, next);
        }

        /// <summary>
        /// The listing's query with its parameters bound (the bench explains it). The newest page of
        /// each visible person first, from the index (person, start, id), then the newest of those:
        /// a page costs a few index reads per person, however many sessions they have. (Sorting all
        /// the visible sessions read a coach's whole team, 10,000 sessions for the first page.)
        /// </summary>
        internal static NpgsqlCommand ListCommand(NpgsqlCommand c, long viewer, long? person, DateTimeOffset? before, long beforeId, int limit)
        {
            c.CommandText = $"""
                {Visible}
                SELECT {Columns}
                FROM visible v
                CROSS JOIN LATERAL (
                    SELECT * FROM sessions x
                    WHERE x.person_id = v.person_id AND ($3::timestamptz IS NULL OR (x.started_at, x.id) < ($3, $4))
                    ORDER BY x.started_at DESC, x.id DESC LIMIT $5) s
                JOIN people p ON p.id = s.person_id JOIN devices d ON d.id = s.device_id
                WHERE ($2::bigint IS NULL OR v.person_id = $2)
                ORDER BY s.started_at DESC, s.id DESC LIMIT $5
                """;
            c.Parameters.AddWithValue(viewer);
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)person ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            c.Parameters.AddWithValue(beforeId);
            c.Parameters.AddWithValue(limit);
            return c;
        }

        /// <summary>One session, when <paramref name="viewer"/> may see it.</summary>
        public async Task<SessionRow?> GetAsync(long viewer, long id, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand($"SELECT {Columns} {From} WHERE s.id = $2 AND (s.person_id = $1 OR {AccountStore.Coaches("$1", "s.person_id")})");
            c.Parameters.AddWithValue(viewer);
            c.Parameters.AddWithValue(id);
            List<SessionRow> rows = await ReadAsync(c, ct);
            return rows.Count == 1 ? rows[0] : null;
        }

        /// <summary>The session file byte for byte, when <paramref name="viewer"/> may see it.</summary>
        public async Task<byte[]?> FileAsync(long viewer, long id, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand($"SELECT f.data FROM session_files f JOIN sessions s ON s.id = f.session_id WHERE s.id = $2 AND (s.person_id = $1 OR {AccountStore.Coaches("$1", "s.person_id")})");
            c.Parameters.AddWithValue(viewer);
            c.Parameters.AddWithValue(id);
            return await c.ExecuteScalarAsync(ct) as byte[];
        }

        private static (DateTimeOffset? Before, long Id) ParseCursor(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor)) return (null, 0);
            string[] parts = cursor.Split('.');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long micros)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long id))
                throw new FormatException($"'{cursor}' is not a cursor this server gave (take 'next' from the page before)");
            try { return (DateTimeOffset.UnixEpoch.AddTicks(checked(micros * 10)), id); }
            catch (Exception e) when (e is ArgumentOutOfRangeException || e is OverflowException) { throw new FormatException($"'{cursor}' is not a cursor this server gave (take 'next' from the page before)"); }
        }

        private static async Task<List<SessionRow>> ReadAsync(NpgsqlCommand c, CancellationToken ct)
        {
            var rows = new List<SessionRow>();
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                rows.Add(new SessionRow(r.GetInt64(0), Convert.ToHexStringLower(r.GetFieldValue<byte[]>(1)), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
                    r.GetFieldValue<DateTimeOffset>(6), r.GetDouble(7), r.GetBoolean(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13),
                    r.GetInt32(14), r.GetInt32(15), r.GetInt32(16), r.GetDouble(17), r.GetInt32(18), r.GetInt32(19), r.GetInt32(20), r.GetFieldValue<DateTimeOffset>(21))
                    { MedianDepthDeg = r.IsDBNull(22) ? null : r.GetFloat(22) });
            return rows;
        }
    }
}
