using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Client
{
    /// <summary>How far a download has come.</summary>
    public readonly record struct DownloadProgress(int SessionId, long Bytes, long Total, double BytesPerSecond, TimeSpan? Eta, int Resumes);

    /// <summary>
    /// A session file as the device sent it, every chunk checked, and the first 12 bytes of the
    /// SHA-256 the device computed of it (null when it had not finished computing it yet).
    /// </summary>
    public sealed record DownloadedSession(byte[] Bytes, byte[]? DeviceDigestTag);

    /// <summary>
    /// A download that cannot finish: a length outside the protocol, a chunk arriving damaged
    /// differently on every attempt, a digest that will not match. Says which session and where;
    /// <see cref="Received"/> holds the checked bytes before that point, for the next download to
    /// resume from.
    /// </summary>
    public sealed class SessionDownloadException : Exception
    {
        public SessionDownloadException(int sessionId, int offset, string message, byte[] received) : base(message)
        {
            SessionId = sessionId;
            Offset = offset;
            Received = received;
        }

        public int SessionId { get; }
        public int Offset { get; }
        public byte[] Received { get; }
    }

    public sealed partial class DeviceClient
    {
        /// <summary>
        /// Times the bytes after one chunk that fails its check are fetched again. Two fetches that
        /// agree byte for byte are the device's own copy, damaged on its flash: kept as they are
        /// (the reader skips the damaged chunk). Four that all differ are a link that keeps
        /// corrupting: the download fails rather than ask forever.
        /// </summary>
        public const int MaxFetchesPerDamagedChunk = 4;

        /// <summary>Whole downloads again from byte 0 when the bytes do not give the device's digest.</summary>
        public const int MaxDigestRestarts = 2;

        private readonly object _dl = new();
        private byte[]? _dlBuffer;
        private int _dlId = -1;
        private int _dlContiguous;
        private int _dlVerified;
        private long _dlLastSequence = -1;
        private bool _dlRewound;
        private string? _dlFatal;
        private int _dlDamagedAt = -1;
        private byte[]? _dlDamagedBytes;
        private int _dlDamagedFetches;
        private int _dlDamagedKept;
        private (int Length, byte[] Tag)? _dlDone;
        private (int Offset, ResultCode Result)? _dlFailed;
        private TaskCompletionSource _dlSignal = NewSignal();

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Resumes after a drop: called by DownloadAsync to get a connected link back.</summary>
        public Func<CancellationToken, Task>? Reconnect;

        /// <summary>The checked first bytes of the last download that did not finish (empty after one that did).</summary>
        public byte[] LastPartial { get; private set; } = Array.Empty<byte>();

        /// <summary>
        /// Downloads a session whole, resuming from the last checked byte after any disconnect (via
        /// <see cref="Reconnect"/>), starting from <paramref name="resume"/> (the checked first bytes
        /// an earlier attempt kept) if given. Each chunk is checked as it arrives; one that fails is
        /// fetched again, a bounded number of times (<see cref="MaxFetchesPerDamagedChunk"/>). At the
        /// end the bytes' SHA-256 must start with the device's digest tag.
        /// </summary>
        public async Task<DownloadedSession> DownloadAsync(SessionEntry entry, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default, byte[]? resume = null)
        {
            // The length is the device's word: check it against the protocol before allocating for it.
            if (entry.Length < SessionFormat.Overhead || entry.Length > SessionFormat.MaxSessionBytes)
                throw new SessionDownloadException(entry.Id, 0,
                    $"session {entry.Id}: the device lists a length of {entry.Length} bytes, outside the protocol's {SessionFormat.Overhead}..{SessionFormat.MaxSessionBytes}", Array.Empty<byte>());
            lock (_dl)
            {
                _dlBuffer = new byte[entry.Length];
                _dlId = entry.Id;
                _dlContiguous = 0;
                if (resume != null && resume.Length <= entry.Length)
                {
                    resume.CopyTo(_dlBuffer, 0);
                    _dlContiguous = resume.Length; // checked again below, chunk by chunk
                }
                ResetChecks();
                VerifyChunks();
            }
            var clock = Stopwatch.StartNew();
            int resumes = 0, digestRestarts = 0;
            bool finished = false;
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
                        _dlRewound = false;
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
                        if (r.Result != ResultCode.Accepted) throw new DeviceRequestException(Opcode.Download, r.Result, $"session {entry.Id} from byte {from}");
                        while (true)
                        {
                            Task signal;
                            lock (_dl) signal = _dlSignal.Task;
                            Task woke = await Task.WhenAny(signal, Task.Delay(TimeSpan.FromSeconds(5), ct));
                            ct.ThrowIfCancellationRequested();
                            int got, verified;
                            bool rewound;
                            string? fatal;
                            (int Length, byte[] Tag)? done;
                            (int Offset, ResultCode Result)? failed;
                            lock (_dl)
                            {
                                got = _dlContiguous;
                                verified = _dlVerified;
                                done = _dlDone;
                                failed = _dlFailed;
                                fatal = _dlFatal;
                                rewound = _dlRewound;
                                _dlRewound = false;
                                _dlSignal = NewSignal();
                            }
                            double rate = got / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                            progress?.Report(new DownloadProgress(entry.Id, got, entry.Length, rate, rate > 0 ? TimeSpan.FromSeconds((entry.Length - got) / rate) : null, resumes));
                            if (fatal != null) throw new SessionDownloadException(entry.Id, verified, fatal, Partial());
                            // The device cannot read the session (evicted, flash error): asking again would not help.
                            if (failed is { } f)
                                throw new DeviceRequestException(Opcode.Download, f.Result, $"the device stopped sending session {entry.Id} at byte {f.Offset}");
                            if (rewound || !_link.IsConnected) break; // ask again from the last good byte
                            if (done is { } d && verified >= d.Length)
                            {
                                if (d.Length != entry.Length)
                                    throw new SessionDownloadException(entry.Id, verified, $"session {entry.Id}: the device listed {entry.Length} bytes but sent {d.Length}", Partial());
                                byte[] bytes = _dlBuffer!.AsSpan(0, d.Length).ToArray();
                                if (IsZero(d.Tag)) { finished = true; return new DownloadedSession(bytes, null); }
                                byte[] digest = System.Security.Cryptography.SHA256.HashData(bytes);
                                if (digest.AsSpan(0, SessionFormat.DigestTagBytes).SequenceEqual(d.Tag)) { finished = true; return new DownloadedSession(bytes, d.Tag); }
                                // Damage kept as the device holds it: its digest predates that damage
                                // (it hashes the file again when MarkDownloaded disagrees). Keep the bytes.
                                if (DamagedChunksKept() > 0) { finished = true; return new DownloadedSession(bytes, null); }
                                Malformed(MalformedKind.BadCrc, $"session {entry.Id}: the bytes' SHA-256 starts {Convert.ToHexStringLower(digest.AsSpan(0, SessionFormat.DigestTagBytes))}, the device's {Convert.ToHexStringLower(d.Tag)}");
                                if (++digestRestarts > MaxDigestRestarts)
                                    throw new SessionDownloadException(entry.Id, 0, $"session {entry.Id}: {digestRestarts} downloads gave bytes whose SHA-256 is not the device's digest (has its copy changed since it computed it?)", Array.Empty<byte>());
                                lock (_dl)
                                {
                                    _dlContiguous = 0;
                                    ResetChecks();
                                }
                                break;
                            }
                            if (woke != signal) break; // nothing for 5 s: ask again from where we are
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
                    LastPartial = finished ? Array.Empty<byte>() : Partial();
                    _dlId = -1;
                    _dlBuffer = null;
                }
            }
        }

        private int DamagedChunksKept() { lock (_dl) return _dlDamagedKept; }

        private byte[] Partial() => _dlBuffer == null ? Array.Empty<byte>() : _dlBuffer.AsSpan(0, _dlVerified).ToArray();

        private static bool IsZero(byte[] tag) => Array.TrueForAll(tag, b => b == 0);

        private void ResetChecks()
        {
            _dlVerified = 0;
            _dlLastSequence = -1;
            _dlFatal = null;
            _dlDamagedAt = -1;
            _dlDamagedBytes = null;
            _dlDamagedFetches = 0;
            _dlDamagedKept = 0;
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
                if (offset < 0 || offset > _dlBuffer.Length - n) { Malformed(MalformedKind.Inconsistent, $"session data at {offset}+{n} beyond {_dlBuffer.Length}"); return; }
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

        // Checks every complete chunk past the verified mark. A chunk that fails is bounded by the
        // next chunk that checks (or the end of the file), then judged by Damaged.
        private void VerifyChunks()
        {
            byte[] b = _dlBuffer!;
            bool all = _dlContiguous == b.Length;
            while (_dlVerified < _dlContiguous && _dlFatal == null)
            {
                int at = _dlVerified, available = _dlContiguous - at;
                int total = SessionFormat.CheckNext(b, at, available, _dlLastSequence, out _, out _, out uint seq);
                if (total > 0)
                {
                    _dlVerified += total;
                    _dlLastSequence = seq;
                    continue;
                }
                if (!all && (available < SessionFormat.Overhead || (b[at] == SessionFormat.Magic0 && b[at + 1] == SessionFormat.Magic1
                    && (b[at + 3] | (b[at + 4] << 8)) is int p && p <= SessionFormat.MaxPayload && available < SessionFormat.Overhead + p)))
                    return; // not all here yet
                int next = NextIntactChunk(b, at + 1, all);
                if (next < 0)
                {
                    if (!all) return; // wait: the next intact chunk, or the end, bounds the damage
                    next = _dlContiguous;
                }
                if (!Damaged(at, next)) return;
                _dlVerified = next;
            }
        }

        private int NextIntactChunk(byte[] b, int from, bool all)
        {
            while (from < _dlContiguous)
            {
                int found = SessionFormat.FindNext(b, from, _dlContiguous - from, _dlLastSequence, out int incomplete);
                if (found >= 0 || incomplete < 0 || !all) return found;
                from = incomplete + 1; // the whole file is here: a candidate running past its end is not a chunk
            }
            return -1;
        }

        // Bytes [start, end) fail their check. Fetched twice alike, they are what the device holds:
        // kept. Otherwise fetch them again, up to MaxFetchesPerDamagedChunk times, then give up.
        private bool Damaged(int start, int end)
        {
            byte[] region = _dlBuffer!.AsSpan(start, end - start).ToArray();
            if (_dlDamagedAt == start && _dlDamagedBytes != null && _dlDamagedBytes.AsSpan().SequenceEqual(region))
            {
                _dlDamagedKept++;
                _dlDamagedAt = -1;
                _dlDamagedBytes = null;
                _dlDamagedFetches = 0;
                return true;
            }
            if (_dlDamagedAt != start) _dlDamagedFetches = 0;
            _dlDamagedAt = start;
            _dlDamagedBytes = region;
            _dlDamagedFetches++;
            Malformed(MalformedKind.BadCrc, $"session {_dlId}: the chunk at byte {start} fails its check (fetch {_dlDamagedFetches})");
            if (_dlDamagedFetches >= MaxFetchesPerDamagedChunk)
            {
                _dlFatal = $"session {_dlId}: the chunk at byte {start} arrived damaged {_dlDamagedFetches} times, differently each time (a link that corrupts data?); " +
                           $"the {start} bytes before it are kept and the next download resumes there";
                return false;
            }
            _dlContiguous = start;
            _dlRewound = true;
            return false;
        }

        // Its payload is the length §7 gives it (DeviceEventCheck, before it gets here).
        private void OnDownloadDone(byte[] p)
        {
            int id = p[0] | (p[1] << 8);
            lock (_dl)
            {
                if (id != _dlId || _dlBuffer == null) return;
                int length = BitConverter.ToInt32(p, 2);
                if (length < 0 || length > _dlBuffer.Length)
                {
                    // Past what the device listed (§10.7): every byte beyond it was dropped, so asking
                    // again would bring the same; the download fails, naming both lengths.
                    Malformed(MalformedKind.Inconsistent, $"download done at {length} of {_dlBuffer.Length}");
                    _dlFatal = $"session {id}: the device listed {_dlBuffer.Length} bytes, but its download ran to {length}";
                    _dlSignal.TrySetResult();
                    return;
                }
                _dlDone = (length, p.AsSpan(6, SessionFormat.DigestTagBytes).ToArray());
                VerifyChunks(); // the end of the file bounds a damaged last chunk
                _dlSignal.TrySetResult();
            }
        }

        private void OnDownloadFailed(byte[] p)
        {
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
