using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Client
{
    /// <summary>What became of one device session in a sync.</summary>
    public enum SyncOutcome
    {
        /// <summary>Stored in the database now.</summary>
        Stored,

        /// <summary>These exact bytes were stored before.</summary>
        AlreadyStored,

        /// <summary>Downloaded but it does not decode: kept aside in the database, left on the device.</summary>
        Quarantined,

        /// <summary>The download could not finish: what arrived is kept for the next one to resume.</summary>
        Failed,
    }

    /// <summary>What happened to one device session during a sync.</summary>
    public sealed record SyncedSession(int DeviceSessionId, long DatabaseId, bool New, bool Erased, int Bytes)
    {
        public SyncOutcome Outcome { get; init; } = SyncOutcome.Stored;

        /// <summary>The device confirmed the stored copy is its file (same SHA-256): it may now evict or erase it.</summary>
        public bool Marked { get; init; }

        /// <summary>Why it was quarantined, failed or not marked; null when all went well.</summary>
        public string? Message { get; init; }

        /// <summary>One line for people: "session 3 → #12", "session 3 → #12 (already stored), erased from the device", or what went wrong.</summary>
        public string Describe() => Outcome is SyncOutcome.Quarantined or SyncOutcome.Failed
            ? Message!
            : $"session {DeviceSessionId} → #{DatabaseId}{(New ? "" : " (already stored)")}{(Erased ? ", erased from the device" : "")}{(Message != null ? "; " + Message : "")}";
    }

    /// <summary>
    /// Brings the device's finished sessions home: download (resumable, every chunk checked),
    /// store in the database and commit, and only then tell the device what was stored — the
    /// first 12 bytes of its SHA-256 — so that it lets go of exactly that content (mark
    /// downloaded, and erase if asked). A crash anywhere leaves the session on the device. One
    /// session that cannot be stored (does not decode, download keeps failing) does not stop the others.
    /// </summary>
    public static class SessionSync
    {
        public static async Task<IReadOnlyList<SyncedSession>> SyncAsync(DeviceConnection device, SessionDatabase db, bool erase,
            Func<SessionEntry, IProgress<DownloadProgress>?>? progressFor = null, IEnumerable<int>? only = null, CancellationToken ct = default)
        {
            var wanted = only != null ? new HashSet<int>(only) : null;
            var done = new List<SyncedSession>();
            foreach (SessionEntry e in await device.WithReconnectAsync(device.Client.ListSessionsAsync, ct))
            {
                if ((e.Flags & SessionEntry.FlagRecording) != 0) continue; // still being written
                if (wanted != null && !wanted.Contains(e.Id)) continue;
                done.Add(await SyncOneAsync(device, db, e, erase, progressFor?.Invoke(e), ct));
            }
            return done;
        }

        private static async Task<SyncedSession> SyncOneAsync(DeviceConnection device, SessionDatabase db, SessionEntry e, bool erase, IProgress<DownloadProgress>? progress, CancellationToken ct)
        {
            DownloadedSession downloaded;
            try
            {
                downloaded = await device.Client.DownloadAsync(e, progress, ct, db.PartialDownload(device.Identity, e));
            }
            catch (SessionDownloadException x)
            {
                if (x.Received.Length > 0) db.SavePartialDownload(device.Identity, e, x.Received);
                return new SyncedSession(e.Id, 0, false, false, x.Received.Length) { Outcome = SyncOutcome.Failed, Message = x.Message };
            }
            catch (Exception)
            {
                // A link lost for good, a cancel: keep what was checked, the next download goes on from there.
                if (device.Client.LastPartial.Length > 0) db.SavePartialDownload(device.Identity, e, device.Client.LastPartial);
                throw;
            }
            db.DiscardPartialDownload(device.Identity, e.Id);
            byte[] bytes = downloaded.Bytes;
            long id;
            bool inserted;
            try
            {
                (id, inserted) = db.ImportDeviceSession(device.Identity, bytes);
            }
            catch (InvalidDataException x)
            {
                var (q, _) = db.Quarantine(device.Identity, e.Id, bytes, x.Message);
                return new SyncedSession(e.Id, 0, false, false, bytes.Length)
                {
                    Outcome = SyncOutcome.Quarantined,
                    Message = $"session {e.Id} does not decode ({x.Message}): kept aside as quarantined #{q} and left on the device",
                };
            }
            var result = new SyncedSession(e.Id, id, inserted, false, bytes.Length) { Outcome = inserted ? SyncOutcome.Stored : SyncOutcome.AlreadyStored };

            // Committed: now tell the device what we hold. It compares with its own digest of the file.
            byte[] tag = SHA256.HashData(bytes).AsSpan(0, SessionFormat.DigestTagBytes).ToArray();
            ControlResponse mark = await MarkAsync(device, e.Id, tag, ct);
            if (mark.Result == ResultCode.InvalidState)
                return result with { Message = "not marked downloaded yet: the device is still computing its digest (run the download again later to mark or erase it)" };
            if (mark.Result == ResultCode.DigestMismatch)
                return result with { Message = "not marked downloaded: the device's digest of its file differs from what arrived, so it stays on the device" };
            if (mark.Result != ResultCode.Success) throw new DeviceRequestException(Opcode.MarkDownloaded, mark.Result, $"session {e.Id}");
            result = result with { Marked = true };
            if (!erase) return result;
            // Asked again after a reconnect, an erase that already happened answers NotFound: that is done too.
            byte[] eraseParams = Id(e.Id, new byte[] { 0 }, tag);
            ControlResponse r = await device.WithReconnectAsync(c => device.Client.RequestAsync(Opcode.EraseSession, eraseParams, c), ct);
            if (r.Result != ResultCode.Success && r.Result != ResultCode.NotFound) throw new DeviceRequestException(Opcode.EraseSession, r.Result, $"session {e.Id}");
            return result with { Erased = true };
        }

        /// <summary>
        /// How long a sync waits for a device still computing a session's digest (one that came
        /// back from a power cut hashes it again, at 800 bytes a second) before it leaves the mark
        /// for the next sync.
        /// </summary>
        public static TimeSpan DigestPatience = TimeSpan.FromSeconds(15);

        // The device answers InvalidState while it computes the digest, and on a first disagreement
        // hashes its file again (flash damage since it saved the digest): ask until it has an answer.
        private static async Task<ControlResponse> MarkAsync(DeviceConnection device, int id, byte[] tag, CancellationToken ct)
        {
            var patience = System.Diagnostics.Stopwatch.StartNew();
            bool disagreedOnce = false;
            while (true)
            {
                ControlResponse r = await device.WithReconnectAsync(c => device.Client.RequestAsync(Opcode.MarkDownloaded, Id(id, tag), c), ct);
                bool again = r.Result == ResultCode.InvalidState || (r.Result == ResultCode.DigestMismatch && !disagreedOnce);
                if (r.Result == ResultCode.DigestMismatch) disagreedOnce = true;
                if (!again || patience.Elapsed > DigestPatience) return r;
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }

        private static byte[] Id(int id, params byte[][] rest)
        {
            var all = new List<byte> { (byte)id, (byte)(id >> 8) };
            foreach (byte[] part in rest) all.AddRange(part);
            return all.ToArray();
        }
    }
}
