using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace HingeSensor.Server.Views
{
    /// <summary>
    /// What the team page reads: per member, sums of the summaries stored at upload over one week
    /// and the four before it. Each member costs one range of the index (person, start) that
    /// includes the summed columns, so the page costs the same for a team with 100 sessions as
    /// with 10,000 (`hinge-dev bench team` measures it); no file is decoded. Only a coach of the
    /// team gets an answer; anyone else gets null, as for a team that does not exist.
    /// </summary>
    public sealed class CoachQueries
    {
        public const int MaxPage = 200;

        /// <summary>The team page's SQL: $1 team, $2 week start, $3 week end, $4 start of the previous weeks, $5 after this person (cursor), $6 limit.</summary>
        internal const string MembersSql = """
            SELECT p.id, p.display_name, m.role,
                   w.sessions, w.reps, w.faulty, w.reached, w.known, w.alerts, w.duration_s, w.prev_sessions, w.prev_reps, w.prev_faulty
            FROM memberships m JOIN people p ON p.id = m.person_id
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE s.started_at >= $2) AS sessions,
                       COALESCE(sum(s.reps) FILTER (WHERE s.started_at >= $2), 0) AS reps,
                       COALESCE(sum(s.reps_with_fault) FILTER (WHERE s.started_at >= $2), 0) AS faulty,
                       COALESCE(sum(s.reps_depth_reached) FILTER (WHERE s.started_at >= $2), 0) AS reached,
                       COALESCE(sum(s.reps_depth_known) FILTER (WHERE s.started_at >= $2), 0) AS known,
                       COALESCE(sum(s.back_rounding_alerts + s.chin_drop_alerts + s.head_up_alerts) FILTER (WHERE s.started_at >= $2), 0) AS alerts,
                       COALESCE(sum(s.duration_s) FILTER (WHERE s.started_at >= $2), 0) AS duration_s,
                       count(*) FILTER (WHERE s.started_at < $2) AS prev_sessions,
                       COALESCE(sum(s.reps) FILTER (WHERE s.started_at < $2), 0) AS prev_reps,
                       COALESCE(sum(s.reps_with_fault) FILTER (WHERE s.started_at < $2), 0) AS prev_faulty
                FROM sessions s
                WHERE s.person_id = p.id AND s.started_at >= $4 AND s.started_at < $3) w
            WHERE m.team_id = $1
              AND ($5::bigint IS NULL OR (p.display_name, p.id) > ((SELECT display_name FROM people WHERE id = $5), $5))
            ORDER BY p.display_name, p.id
            LIMIT $6
            """;

        private readonly NpgsqlDataSource _db;

        public CoachQueries(NpgsqlDataSource db) => _db = db;

        /// <summary>The teams <paramref name="viewer"/> coaches, by name.</summary>
        public async Task<IReadOnlyList<(long Id, string Name)>> CoachedTeamsAsync(long viewer, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("SELECT t.id, t.name FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.person_id = $1 AND m.role = 'coach' ORDER BY t.name");
            c.Parameters.AddWithValue(viewer);
            var teams = new List<(long, string)>();
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) teams.Add((r.GetInt64(0), r.GetString(1)));
            return teams;
        }

        /// <summary>A page of the team's members with their week, when <paramref name="viewer"/> coaches the team; else null.</summary>
        public async Task<TeamWeekPage?> TeamWeekAsync(long viewer, long teamId, TrainingWeek week, string? cursor, int limit, CancellationToken ct = default)
        {
            limit = Math.Clamp(limit, 1, MaxPage);
            long? after = ParseCursor(cursor);
            await using NpgsqlConnection c = await _db.OpenConnectionAsync(ct);
            string? team;
            await using (var q = new NpgsqlCommand("SELECT t.name FROM teams t JOIN memberships m ON m.team_id = t.id WHERE t.id = $1 AND m.person_id = $2 AND m.role = 'coach'", c))
            {
                q.Parameters.AddWithValue(teamId);
                q.Parameters.AddWithValue(viewer);
                team = await q.ExecuteScalarAsync(ct) as string;
            }
            if (team == null) return null;
            var members = new List<MemberWeek>();
            await using (NpgsqlCommand q = Members(c, teamId, week, after, limit + 1))
            await using (NpgsqlDataReader r = await q.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                    members.Add(new MemberWeek(r.GetInt64(0), r.GetString(1), r.GetString(2), (int)r.GetInt64(3), (int)r.GetInt64(4), (int)r.GetInt64(5),
                        (int)r.GetInt64(6), (int)r.GetInt64(7), (int)r.GetInt64(8), r.GetDouble(9), (int)r.GetInt64(10), (int)r.GetInt64(11), (int)r.GetInt64(12)));
            string? next = null;
            if (members.Count > limit)
            {
                members.RemoveAt(limit);
                next = members[^1].PersonId.ToString(CultureInfo.InvariantCulture);
            }
            return new TeamWeekPage(teamId, team, week, members, next);
        }

        /// <summary>The team page's query with its parameters bound (the bench explains it).</summary>
        internal static NpgsqlCommand Members(NpgsqlConnection c, long teamId, TrainingWeek week, long? after, int limit)
        {
            var q = new NpgsqlCommand(MembersSql, c);
            q.Parameters.AddWithValue(teamId);
            q.Parameters.AddWithValue(week.Start);
            q.Parameters.AddWithValue(week.End);
            q.Parameters.AddWithValue(week.PreviousStart);
            q.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            q.Parameters.AddWithValue(limit);
            return q;
        }

        private static long? ParseCursor(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor)) return null;
            return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
                ? id
                : throw new FormatException($"'{cursor}' is not a cursor this server gave (take 'next' from the page before)");
        }
    }
}
