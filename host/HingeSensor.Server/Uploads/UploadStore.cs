using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Server.Sessions;
using Npgsql;

namespace HingeSensor.Server.Uploads
{
    /// <summary>
    /// Resumable, idempotent uploads of session files, keyed by the SHA-256 of the whole file (the
    /// digest the device confirms and the host's log de-duplicates by, docs/session-format.md).
    /// Parts arrive in order, each in its own transaction; the upload is private to the person
    /// sending it and never listed. When the last byte arrives the file is put together, its digest
    /// checked, decoded and checked by the <see cref="ISessionInspector"/>, and stored as one
    /// session in the same transaction that removes the upload: a session is stored whole or not
    /// at all, and the same content twice is one session.
    /// </summary>
    public sealed class UploadStore
    {
        /// <summary>The largest part one request may carry.</summary>
        public const int MaxPartBytes = 1024 * 1024;

        private readonly NpgsqlDataSource _db;
        private readonly ISessionInspector _inspector;
        private readonly SemaphoreSlim _writers;

        public UploadStore(NpgsqlDataSource db, ISessionInspector inspector)
        {
            _db = db;
            _inspector = inspector;
            // A part holds a connection for its whole transaction (the last one while the file is
            // decoded). Hundreds arriving at once would take every connection of the pool, and every
            // sign-in, listing and status question would wait behind them, failing after the pool's
            // timeout (the load run, docs/team-server-scale.md). At most half the pool writes; the
            // other parts wait their turn here, for as long as their client waits.
            Writers = Math.Max(1, new NpgsqlConnectionStringBuilder(db.ConnectionString).MaxPoolSize / 2);
            _writers = new SemaphoreSlim(Writers);
        }

        /// <summary>How many parts are taken at once.</summary>
        public int Writers { get; }

        /// <summary>Where an upload of this content by this person stands.</summary>
        public async Task<UploadAnswer> StatusAsync(long personId, byte[] digest, CancellationToken ct)
        {
            await using NpgsqlConnection c = await _db.OpenConnectionAsync(ct);
            if (await StoredAsync(c, null, personId, digest, ct) is UploadAnswer stored) return stored;
            await using NpgsqlCommand q = new("SELECT received, length FROM uploads WHERE person_id = $1 AND digest = $2", c);
            q.Parameters.AddWithValue(personId);
            q.Parameters.AddWithValue(digest);
            await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct)
                ? new UploadAnswer { State = UploadAnswer.Partial, Received = r.GetInt32(0), Length = r.GetInt32(1) }
                : new UploadAnswer { State = UploadAnswer.None, Received = 0 };
        }

        /// <summary>Takes bytes [from, from + part.Length) of a file of <paramref name="length"/> bytes.</summary>
        public async Task<UploadAnswer> ReceiveAsync(long personId, long? tokenId, byte[] digest, int from, int length, byte[] part, CancellationToken ct)
        {
            await _writers.WaitAsync(ct);
            try { return await TakeAsync(personId, tokenId, digest, from, length, part, ct); }
            finally { _writers.Release(); }
        }

        private async Task<UploadAnswer> TakeAsync(long personId, long? tokenId, byte[] digest, int from, int length, byte[] part, CancellationToken ct)
        {
            await using NpgsqlConnection c = await _db.OpenConnectionAsync(ct);
            await using NpgsqlTransaction tx = await c.BeginTransactionAsync(ct);
            if (await StoredAsync(c, tx, personId, digest, ct) is UploadAnswer stored)
            {
                await tx.CommitAsync(ct);
                return stored;
            }

            // One row per (person, content), locked: parts of one upload are taken one at a time.
            await using (NpgsqlCommand open = new("INSERT INTO uploads (person_id, digest, length, received) VALUES ($1, $2, $3, 0) ON CONFLICT (person_id, digest) DO NOTHING", c, tx))
            {
                open.Parameters.AddWithValue(personId);
                open.Parameters.AddWithValue(digest);
                open.Parameters.AddWithValue(length);
                await open.ExecuteNonQueryAsync(ct);
            }
            long uploadId;
            int expectedLength, received;
            await using (NpgsqlCommand q = new("SELECT id, length, received FROM uploads WHERE person_id = $1 AND digest = $2 FOR UPDATE", c, tx))
            {
                q.Parameters.AddWithValue(personId);
                q.Parameters.AddWithValue(digest);
                await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct)) (uploadId, expectedLength, received) = (r.GetInt64(0), r.GetInt32(1), r.GetInt32(2));
                else uploadId = expectedLength = received = -1;
            }
            if (uploadId < 0)
            {
                // Another request finished this very upload while this one waited for its row: the session is stored now.
                UploadAnswer now = await StoredAsync(c, tx, personId, digest, ct)
                    ?? new UploadAnswer { Status = 409, State = UploadAnswer.Partial, Received = 0, Length = length, Error = "this upload was closed meanwhile (refused, or stored and removed): ask where it stands and start again" };
                await tx.CommitAsync(ct);
                return now;
            }
            if (length != expectedLength)
            {
                await tx.CommitAsync(ct);
                return new UploadAnswer { Status = 409, State = UploadAnswer.Conflict, Received = received, Length = expectedLength,
                    Error = $"this upload was started as a file of {expectedLength} bytes, not {length}: the same digest cannot name two lengths" };
            }
            int end = from + part.Length;
            if (end <= received)
            {
                // A part that is here already (its answer was lost and it was sent again): nothing to do.
                await tx.CommitAsync(ct);
                return new UploadAnswer { Status = 200, State = UploadAnswer.Partial, Received = received, Length = length };
            }
            if (from != received)
            {
                await tx.CommitAsync(ct);
                return new UploadAnswer { Status = 409, State = UploadAnswer.Partial, Received = received, Length = length,
                    Error = $"the server has bytes 0 to {received - 1} of this upload, so the next part starts at byte {received}, not {from}" };
            }
            await using (NpgsqlCommand add = new("INSERT INTO upload_parts (upload_id, at, data) VALUES ($1, $2, $3)", c, tx))
            {
                add.Parameters.AddWithValue(uploadId);
                add.Parameters.AddWithValue(from);
                add.Parameters.AddWithValue(part);
                await add.ExecuteNonQueryAsync(ct);
            }
            await using (NpgsqlCommand move = new("UPDATE uploads SET received = $2, updated_at = now() WHERE id = $1", c, tx))
            {
                move.Parameters.AddWithValue(uploadId);
                move.Parameters.AddWithValue(end);
                await move.ExecuteNonQueryAsync(ct);
            }
            if (end < length)
            {
                await tx.CommitAsync(ct);
                return new UploadAnswer { Status = 202, State = UploadAnswer.Partial, Received = end, Length = length };
            }
            UploadAnswer done = await FinishAsync(c, tx, uploadId, personId, tokenId, digest, length, ct);
            await tx.CommitAsync(ct);
            return done;
        }

        private static async Task<UploadAnswer?> StoredAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long personId, byte[] digest, CancellationToken ct)
        {
            await using NpgsqlCommand q = new("SELECT id, person_id, length FROM sessions WHERE digest = $1", c, tx);
            q.Parameters.AddWithValue(digest);
            await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            if (r.GetInt64(1) != personId)
                return new UploadAnswer { Status = 409, State = UploadAnswer.Conflict, Error = "this session is stored already, under another person's account" };
            return new UploadAnswer { Status = 200, State = UploadAnswer.Stored, SessionId = r.GetInt64(0), AlreadyStored = true, Received = r.GetInt32(2), Length = r.GetInt32(2) };
        }

        // The whole file is here: check it, then store it or refuse it, and close the upload either way.
        private async Task<UploadAnswer> FinishAsync(NpgsqlConnection c, NpgsqlTransaction tx, long uploadId, long personId, long? tokenId, byte[] digest, int length, CancellationToken ct)
        {
            byte[] file = new byte[length];
            int at = 0;
            await using (NpgsqlCommand q = new("SELECT at, data FROM upload_parts WHERE upload_id = $1 ORDER BY at", c, tx))
            {
                q.Parameters.AddWithValue(uploadId);
                await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    byte[] data = r.GetFieldValue<byte[]>(1);
                    if (r.GetInt32(0) != at || at + data.Length > length) throw new InvalidOperationException($"upload {uploadId}: parts do not follow each other at byte {at}");
                    data.CopyTo(file, at);
                    at += data.Length;
                }
            }
            await using (NpgsqlCommand close = new("DELETE FROM uploads WHERE id = $1", c, tx))
            {
                close.Parameters.AddWithValue(uploadId);
                await close.ExecuteNonQueryAsync(ct);
            }

            byte[] actual = SHA256.HashData(file);
            if (!actual.AsSpan().SequenceEqual(digest))
                return Refuse($"the {length} bytes received have SHA-256 {Convert.ToHexStringLower(actual)}, not the {Convert.ToHexStringLower(digest)} they were sent as (damaged on the way, or a wrong digest)");
            InspectedSession s;
            try { s = _inspector.Inspect(file); }
            catch (SessionRefusedException e) { return Refuse(e.Message); }
            DateTimeOffset started;
            try { started = DateTimeOffset.FromUnixTimeMilliseconds(s.StartUnixMs); }
            catch (ArgumentOutOfRangeException) { return Refuse($"its start time ({s.StartUnixMs} ms after 1970) is not a date"); }

            long? deviceId = await DeviceAsync(c, tx, s, personId, ct);
            if (deviceId == null)
                return new UploadAnswer { Status = 409, State = UploadAnswer.Conflict,
                    Error = $"device {s.DeviceSerial} is registered to another person, so its sessions are theirs: nothing stored (a coach of theirs can register it to you with `hinge server device register`)" };

            string insert = $"""
                INSERT INTO sessions (digest, person_id, device_id, device_session_id, session_uid, format, firmware, started_at, frame_rate_hz, duration_s, closed, frames,
                    reps, reps_with_fault, reps_depth_reached, reps_depth_known, back_rounding_alerts, chin_drop_alerts, head_up_alerts, alert_s, holes, damaged_bytes, length, upload_token_id,
                    median_depth_deg, summary_version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, {SummaryBackfill.CurrentVersion})
                ON CONFLICT (digest) DO NOTHING RETURNING id
                """;
            long sessionId;
            await using (NpgsqlCommand add = new(insert, c, tx))
            {
                foreach (object? v in new object?[] { digest, personId, deviceId.Value, s.DeviceSessionId, s.SessionUid, (short)s.Format, s.Firmware, started, s.FrameRateHz, s.DurationS,
                             s.Closed, s.Frames, s.Reps, s.RepsWithFault, s.RepsDepthReached, s.RepsDepthKnown, s.BackRoundingAlerts, s.ChinDropAlerts, s.HeadUpAlerts, s.AlertS,
                             s.Holes, s.DamagedBytes, length, tokenId })
                    add.Parameters.Add(v == null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint } : new NpgsqlParameter { Value = v });
                add.Parameters.Add(SummaryBackfill.MedianDepth(s));
                if (await add.ExecuteScalarAsync(ct) is not long id)
                {
                    // Another request stored the same content in the meantime: answer as if it had come first.
                    return await StoredAsync(c, tx, personId, digest, ct) ?? throw new InvalidOperationException("a session that conflicted is not there");
                }
                sessionId = id;
            }
            await using (NpgsqlCommand data = new("INSERT INTO session_files (session_id, data) VALUES ($1, $2)", c, tx))
            {
                data.Parameters.AddWithValue(sessionId);
                data.Parameters.AddWithValue(file);
                await data.ExecuteNonQueryAsync(ct);
            }
            return new UploadAnswer { Status = 201, State = UploadAnswer.Stored, SessionId = sessionId, Received = length, Length = length, Holes = s.HoleDescriptions.Length > 0 ? s.HoleDescriptions : null };

            UploadAnswer Refuse(string why) => new() { Status = 422, State = UploadAnswer.Refused, Received = 0, Length = length,
                Error = $"session refused, nothing stored: {why}" };
        }

        // The device the session was recorded on: registered to the uploader at its first session, refused when it is someone else's.
        private static async Task<long?> DeviceAsync(NpgsqlConnection c, NpgsqlTransaction tx, InspectedSession s, long personId, CancellationToken ct)
        {
            await using NpgsqlCommand q = new("""
                INSERT INTO devices (serial, person_id, firmware) VALUES ($1, $2, $3)
                ON CONFLICT (serial) DO UPDATE SET last_seen = CASE WHEN devices.person_id = EXCLUDED.person_id THEN now() ELSE devices.last_seen END,
                    firmware = CASE WHEN devices.person_id = EXCLUDED.person_id THEN EXCLUDED.firmware ELSE devices.firmware END
                RETURNING id, person_id
                """, c, tx);
            q.Parameters.AddWithValue(s.DeviceSerial);
            q.Parameters.AddWithValue(personId);
            q.Parameters.AddWithValue(s.Firmware);
            await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            return r.GetInt64(1) == personId ? r.GetInt64(0) : null;
        }

        /// <summary>Checks a part's place and size before anything is read or written; null when it may be taken, else why not.</summary>
        public static string? CheckPart(int from, int to, int length, long? contentLength)
        {
            if (length < SessionFormat.Overhead || length > SessionFormat.MaxSessionBytes)
                return $"a session file has {SessionFormat.Overhead} to {SessionFormat.MaxSessionBytes} bytes, not {length}";
            if (from < 0 || to < from || to >= length) return $"bytes {from}-{to} are not within a file of {length} bytes";
            if (to - from + 1 > MaxPartBytes) return $"a part carries at most {MaxPartBytes} bytes, not {to - from + 1}";
            if (contentLength != to - from + 1) return $"the body has {contentLength?.ToString() ?? "an unstated number of"} bytes, the range {to - from + 1}";
            return null;
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes of a request body.</summary>
        public static async Task<byte[]?> ReadExactlyAsync(Stream body, int count, CancellationToken ct)
        {
            byte[] buffer = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = await body.ReadAsync(buffer.AsMemory(got), ct);
                if (n == 0) return null;
                got += n;
            }
            return buffer;
        }
    }
}
