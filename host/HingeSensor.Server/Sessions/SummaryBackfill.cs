using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace HingeSensor.Server.Sessions
{
    /// <summary>
    /// The summaries a session row carries are computed once, when it is uploaded. A migration that
    /// adds one (migration 2: the median depth) cannot compute it in SQL from the file, so rows
    /// stored before it keep <c>summary_version</c> below <see cref="CurrentVersion"/> until this
    /// step reads their file again with the same <see cref="ISessionInspector"/> an upload uses.
    /// It runs in the background after every start, in batches, each in its own transaction with
    /// its rows locked (SKIP LOCKED: several servers on one database share the work, none repeats it).
    /// </summary>
    public static class SummaryBackfill
    {
        /// <summary>The summary an upload stores now; rows below it are brought up to it.</summary>
        public const int CurrentVersion = 2;

        private const int Batch = 50;

        /// <summary>The median depth as the column takes it (NULL without counted reps).</summary>
        public static NpgsqlParameter MedianDepth(InspectedSession s) =>
            new() { Value = s.MedianDepthDeg is double d ? (float)d : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Real };

        /// <summary>
        /// Brings every older row up to date; returns how many were, and how many files no longer
        /// decode (their new summaries stay NULL, their version is raised so they are not read again).
        /// </summary>
        public static async Task<(int Updated, int Undecodable)> RunAsync(NpgsqlDataSource db, ISessionInspector inspector, CancellationToken ct)
        {
            int updated = 0, undecodable = 0;
            while (true)
            {
                await using NpgsqlConnection c = await db.OpenConnectionAsync(ct);
                await using NpgsqlTransaction tx = await c.BeginTransactionAsync(ct);
                var rows = new List<(long Id, byte[] File)>();
                await using (var q = new NpgsqlCommand($"""
                    SELECT s.id, f.data FROM sessions s JOIN session_files f ON f.session_id = s.id
                    WHERE s.summary_version < {CurrentVersion} ORDER BY s.id LIMIT {Batch} FOR UPDATE OF s SKIP LOCKED
                    """, c, tx))
                await using (NpgsqlDataReader r = await q.ExecuteReaderAsync(ct))
                    while (await r.ReadAsync(ct)) rows.Add((r.GetInt64(0), r.GetFieldValue<byte[]>(1)));
                if (rows.Count == 0) return (updated, undecodable);
                foreach ((long id, byte[] file) in rows)
                {
                    await using var u = new NpgsqlCommand($"UPDATE sessions SET median_depth_deg = $2, summary_version = {CurrentVersion} WHERE id = $1", c, tx);
                    u.Parameters.AddWithValue(id);
                    try
                    {
                        u.Parameters.Add(MedianDepth(inspector.Inspect(file)));
                        updated++;
                    }
                    catch (SessionRefusedException)
                    {
                        u.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Real });
                        undecodable++;
                    }
                    await u.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }
    }
}
