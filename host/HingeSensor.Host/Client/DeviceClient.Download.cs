using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Client
{
    /// <summary>How far a download has come.</summary>
    public readonly record struct DownloadProgress(int SessionId, long Bytes, long Total, double BytesPerSecond, TimeSpan? Eta, int Resumes);

    public sealed partial class DeviceClient
    {
        private readonly object _dl = new();
        private byte[]? _dlBuffer;
        private int _dlId = -1;
        private int _dlContiguous;
        private int _dlVerified;
        private bool _dlCrcFailed;
        private (int Length, uint Crc)? _dlDone;
        private (int Offset, ResultCode Result)? _dlFailed;
        private TaskCompletionSource _dlSignal = NewSignal();

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Resumes after a drop: called by DownloadAsync to get a connected link back.</summary>
        public Func<CancellationToken, Task>? Reconnect;

        /// <summary>
        /// Downloads a session whole, resuming from the last intact byte after any disconnect (via
        /// <see cref="Reconnect"/>) or corrupt chunk, and returns its bytes once their CRC-32
        /// matches what the device reports. Each session chunk is checked as it arrives, so a bad one
        /// is re-requested from its start rather than discovered at the end.
        /// </summary>
        public async Task<byte[]> DownloadAsync(SessionEntry entry, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
        {
            lock (_dl)
            {
                _dlBuffer = new byte[entry.Length];
                _dlId = entry.Id;
                _dlContiguous = 0;
                _dlVerified = 0;
                _dlDone = null;
                _dlFailed = null;
                _dlCrcFailed = false;
            }
            var clock = Stopwatch.StartNew();
            int resumes = 0, fullRestarts = 0;
            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    int from;
                    lock (_dl)
                    {
                        from = _dlContiguous;
                        _dlDone = null;
                        _dlFailed = null;
                        _dlCrcFailed = false;
                        _dlSignal = NewSignal();
                    }
                    try
                    {
                        if (!_link.IsConnected)
                        {
                            if (Reconnect == null) throw new LinkLostException("the link dropped during the download");
                            await Reconnect(ct);
                            resumes++;
                        }
                        ControlResponse r = await RequestAsync(Opcode.Download, Params(entry.Id, from), ct);
                        if (r.Result != ResultCode.Accepted) throw new DeviceRequestException(Opcode.Download, r.Result);
                        while (true)
                        {
                            Task signal;
                            lock (_dl) signal = _dlSignal.Task;
                            Task finished = await Task.WhenAny(signal, Task.Delay(TimeSpan.FromSeconds(5), ct));
                            ct.ThrowIfCancellationRequested();
                            int got;
                            bool restart = false;
                            (int Length, uint Crc)? done;
                            (int Offset, ResultCode Result)? failed;
                            lock (_dl)
                            {
                                got = _dlContiguous;
                                done = _dlDone;
                                failed = _dlFailed;
                                if (_dlCrcFailed)
                                {
                                    _dlCrcFailed = false;
                                    restart = true;
                                }
                                _dlSignal = NewSignal();
                            }
                            double rate = got / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                            progress?.Report(new DownloadProgress(entry.Id, got, entry.Length, rate, rate > 0 ? TimeSpan.FromSeconds((entry.Length - got) / rate) : null, resumes));
                            // The device cannot read the session (evicted, flash error): asking again would not help.
                            if (failed is { } f)
                                throw new DeviceRequestException(Opcode.Download, f.Result, $"the device stopped sending session {entry.Id} at byte {f.Offset}");
                            if (restart || !_link.IsConnected) break;               // re-request from the last good byte
                            if (done is { } d && got >= d.Length)
                            {
                                byte[] bytes = _dlBuffer!.AsSpan(0, d.Length).ToArray();
                                uint crc = System.IO.Hashing.Crc32.HashToUInt32(bytes);
                                if (crc == d.Crc && d.Length == entry.Length) return bytes;
                                Malformed(MalformedKind.BadCrc, $"session {entry.Id}: whole-file CRC 0x{crc:x8}, device says 0x{d.Crc:x8}");
                                if (++fullRestarts > 3) throw new InvalidOperationException($"session {entry.Id} arrived corrupt {fullRestarts} times");
                                lock (_dl) { _dlContiguous = 0; _dlVerified = 0; }
                                break;
                            }
                            if (finished != signal) break; // nothing for 5 s: ask again from where we are
                        }
                    }
                    catch (LinkLostException)
                    {
                        if (Reconnect == null) throw;
                    }
                }
            }
            finally
            {
                lock (_dl)
                {
                    _dlId = -1;
                    _dlBuffer = null;
                }
            }
        }

        private static byte[] Params(int id, int offset) => new[] { (byte)id, (byte)(id >> 8), (byte)offset, (byte)(offset >> 8), (byte)(offset >> 16), (byte)(offset >> 24) };

        private void OnSessionData(byte[] v)
        {
            if (v.Length < 6) { Malformed(MalformedKind.Short, "session data"); return; }
            int id = v[0] | (v[1] << 8);
            int offset = BitConverter.ToInt32(v, 2);
            lock (_dl)
            {
                if (id != _dlId || _dlBuffer == null) return; // a straggler of an earlier download
                int n = v.Length - 6;
                if (offset < 0 || offset + n > _dlBuffer.Length) { Malformed(MalformedKind.Inconsistent, $"session data at {offset}+{n} beyond {_dlBuffer.Length}"); return; }
                if (offset > _dlContiguous) return; // a hole before it: the re-request will fill it
                int skip = _dlContiguous - offset;   // already have these (an overlap after a resume)
                if (skip < n)
                {
                    Array.Copy(v, 6 + skip, _dlBuffer, _dlContiguous, n - skip);
                    _dlContiguous += n - skip;
                }
                VerifyChunks();
                _dlSignal.TrySetResult();
            }
        }

        // Checks every complete chunk past the verified mark; a bad one rewinds to its start.
        private void VerifyChunks()
        {
            byte[] b = _dlBuffer!;
            while (_dlVerified < _dlContiguous)
            {
                int available = _dlContiguous - _dlVerified;
                if (available < SessionFormat.Overhead) return;
                int payload = b[_dlVerified + 3] | (b[_dlVerified + 4] << 8);
                if (payload <= SessionFormat.MaxPayload && available < SessionFormat.Overhead + payload) return; // not all here yet
                int total = SessionFormat.Check(b, _dlVerified, available, out _, out _, out _);
                if (total == 0)
                {
                    Malformed(MalformedKind.BadCrc, $"session {_dlId}: chunk at {_dlVerified} fails its check");
                    _dlContiguous = _dlVerified;
                    _dlCrcFailed = true;
                    return;
                }
                _dlVerified += total;
            }
        }

        private void OnDownloadDone(byte[] p)
        {
            if (p.Length < 10) { Malformed(MalformedKind.Short, "download done"); return; }
            int id = p[0] | (p[1] << 8);
            lock (_dl)
            {
                if (id != _dlId) return;
                _dlDone = (BitConverter.ToInt32(p, 2), BitConverter.ToUInt32(p, 6));
                _dlSignal.TrySetResult();
            }
        }

        private void OnDownloadFailed(byte[] p)
        {
            if (p.Length < 7) { Malformed(MalformedKind.Short, "download failed"); return; }
            int id = p[0] | (p[1] << 8);
            lock (_dl)
            {
                if (id != _dlId) return;
                _dlFailed = (BitConverter.ToInt32(p, 2), (ResultCode)p[6]);
                _dlSignal.TrySetResult();
            }
        }

        private void OnDownloadLinkLost()
        {
            lock (_dl) _dlSignal.TrySetResult();
        }
    }
}
