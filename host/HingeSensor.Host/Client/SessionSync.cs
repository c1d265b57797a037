using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Client
{
    /// <summary>What happened to one device session during a sync.</summary>
    public sealed record SyncedSession(int DeviceSessionId, long DatabaseId, bool New, bool Erased, int Bytes);

    /// <summary>
    /// Brings the device's finished sessions home: download (resumable, CRC-checked), store in the
    /// database and commit, and only then tell the device it may let go of them (mark downloaded
    /// with the CRC, and erase if asked). A crash anywhere leaves the session on the device.
    /// </summary>
    public static class SessionSync
    {
        public static async Task<IReadOnlyList<SyncedSession>> SyncAsync(DeviceConnection device, SessionDatabase db, bool erase,
            Func<SessionEntry, IProgress<DownloadProgress>?>? progressFor = null, IEnumerable<int>? only = null, CancellationToken ct = default)
        {
            var wanted = only != null ? new HashSet<int>(only) : null;
            var done = new List<SyncedSession>();
            foreach (SessionEntry e in await device.Client.ListSessionsAsync(ct))
            {
                if ((e.Flags & SessionEntry.FlagRecording) != 0) continue; // still being written
                if (wanted != null && !wanted.Contains(e.Id)) continue;
                byte[] bytes = await device.Client.DownloadAsync(e, progressFor?.Invoke(e), ct);
                var (id, inserted) = db.ImportDeviceSession(device.Identity, bytes);
                // Committed and the CRC matched (DownloadAsync checked it against the device's): now the device may evict or erase it.
                await device.Client.RequireAsync(Opcode.MarkDownloaded, new[] { (byte)e.Id, (byte)(e.Id >> 8) }
                    .Concat(BitConverter.GetBytes(e.Crc)), ct);
                bool erased = false;
                if (erase)
                {
                    await device.Client.RequireAsync(Opcode.EraseSession, new byte[] { (byte)e.Id, (byte)(e.Id >> 8), 0 }, ct);
                    erased = true;
                }
                done.Add(new SyncedSession(e.Id, id, inserted, erased, bytes.Length));
            }
            return done;
        }

        private static byte[] Concat(this byte[] a, byte[] b)
        {
            var r = new byte[a.Length + b.Length];
            a.CopyTo(r, 0);
            b.CopyTo(r, a.Length);
            return r;
        }
    }
}
