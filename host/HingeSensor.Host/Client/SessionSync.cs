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
            foreach (SessionEntry e in await device.WithReconnectAsync(device.Client.ListSessionsAsync, ct))
            {
                if ((e.Flags & SessionEntry.FlagRecording) != 0) continue; // still being written
                if (wanted != null && !wanted.Contains(e.Id)) continue;
                byte[] bytes = await device.Client.DownloadAsync(e, progressFor?.Invoke(e), ct);
                var (id, inserted) = db.ImportDeviceSession(device.Identity, bytes);
                // Committed and the CRC matched (DownloadAsync checked it against the device's): now the device may evict or erase it.
                byte[] mark = new[] { (byte)e.Id, (byte)(e.Id >> 8) }.Concat(BitConverter.GetBytes(e.Crc));
                await device.WithReconnectAsync(c => device.Client.RequireAsync(Opcode.MarkDownloaded, mark, c), ct);
                bool erased = false;
                if (erase)
                {
                    // Asked again after a reconnect, an erase that already happened answers NotFound: that is done too.
                    ControlResponse r = await device.WithReconnectAsync(c => device.Client.RequestAsync(Opcode.EraseSession, new byte[] { (byte)e.Id, (byte)(e.Id >> 8), 0 }, c), ct);
                    if (r.Result != ResultCode.Success && r.Result != ResultCode.NotFound) throw new DeviceRequestException(Opcode.EraseSession, r.Result);
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
