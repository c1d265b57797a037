using System;
using System.IO;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Client
{
    /// <summary>A control-point answer.</summary>
    public sealed record ControlResponse(Opcode Opcode, int Id, ResultCode Result, byte[] Payload);

    /// <summary>An event the device sent on its own (or to finish something it had accepted).</summary>
    public sealed record DeviceEventMessage(DeviceEvent Kind, byte[] Payload);

    /// <summary>A request the device answered with something other than success; the message says what that means (<see cref="DeviceRefusal"/>).</summary>
    public sealed class DeviceRequestException : Exception
    {
        /// <param name="detail">What the host was doing, put before the reason ("the device stopped sending session 3 at byte 1024").</param>
        public DeviceRequestException(Opcode op, ResultCode result, string? detail = null, byte[]? request = null, byte[]? answer = null, DeviceConfig? config = null)
            : base(detail == null ? DeviceRefusal.Describe(op, result, request, answer, config) : detail + ": " + DeviceRefusal.Describe(op, result, request, answer, config))
        {
            Opcode = op;
            Result = result;
        }

        public Opcode Opcode { get; }
        public ResultCode Result { get; }
    }

    /// <summary>
    /// The host's side of the HingeSensor protocol (docs/protocol.md) over any link: requests and
    /// their answers, events, live frames with their sequence accounting, status and config. Every
    /// malformed notification is counted in <see cref="Health"/> and dropped; nothing a device sends
    /// can throw out of here.
    /// </summary>
    public sealed partial class DeviceClient : IAsyncDisposable
    {
        public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

        private readonly IDeviceLink _link;
        private readonly ConcurrentDictionary<int, (Opcode Op, TaskCompletionSource<ControlResponse> Answer)> _pending = new();
        private readonly object _liveLock = new();
        private readonly LiveFrame[] _frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
        private int _nextId;
        private int _lastSequence = -1;

        public DeviceClient(IDeviceLink link)
        {
            _link = link;
            _link.NotificationReceived += OnNotification;
            _link.Disconnected += OnDisconnected;
        }

        public IDeviceLink Link => _link;
        public LinkHealth Health { get; } = new();

        /// <summary>Live frames as they arrive (on the link's thread: keep handlers short).</summary>
        public event Action<LiveFrame>? LiveFrameReceived;

        public event Action<DeviceEventMessage>? EventReceived;
        public event Action<DeviceStatus>? StatusReceived;
        public event Action<string>? LinkLost;

        /// <summary>Where a malformed notification was seen (for people; the counters are in Health).</summary>
        public event Action<MalformedKind, string>? MalformedReceived;

        public async Task ConnectAsync(bool live, CancellationToken ct)
        {
            await _link.ConnectAsync(ct);
            _lastSequence = -1;
            await _link.SubscribeAsync(GattIds.Control, ct);
            await _link.SubscribeAsync(GattIds.Status, ct);
            await _link.SubscribeAsync(GattIds.SessionData, ct);
            if (live) await _link.SubscribeAsync(GattIds.Live, ct);
        }

        private void OnDisconnected(string reason)
        {
            Health.CountDisconnect();
            // One by one, not Clear(): a request registered while this runs (after a reconnect on
            // another thread) must not vanish without an answer and wait out its timeout.
            foreach (int id in _pending.Keys)
                if (_pending.TryRemove(id, out var p)) p.Answer.TrySetException(new LinkLostException(reason));
            OnDownloadLinkLost();
            LinkLost?.Invoke(reason);
        }

        internal void Malformed(MalformedKind kind, string where)
        {
            Health.CountMalformed(kind);
            MalformedReceived?.Invoke(kind, where);
        }

        private void OnNotification(string uuid, byte[] value)
        {
            Health.CountNotification();
            try
            {
                if (value.Length > _link.Mtu - GattIds.AttNotifyOverhead) { Malformed(MalformedKind.Oversized, uuid); return; }
                if (Is(uuid, GattIds.Live)) OnLive(value);
                else if (Is(uuid, GattIds.Control)) OnControl(value);
                else if (Is(uuid, GattIds.SessionData)) OnSessionData(value);
                else if (Is(uuid, GattIds.Status)) OnStatus(value);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug of ours on odd input must not take the link down: count it as inconsistent.
                Malformed(MalformedKind.Inconsistent, uuid + ": " + e.Message);
            }
        }

        private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private void OnLive(byte[] v)
        {
            if (v.Length < LivePacket.HeaderBytes) { Malformed(MalformedKind.Short, "live"); return; }
            lock (_liveLock)
            {
                int n = LivePacket.Read(v, 0, v.Length, _frames);
                if (n < 0) { Malformed(MalformedKind.Inconsistent, "live"); return; }
                for (int i = 0; i < n; i++)
                {
                    int seq = _frames[i].Sequence;
                    if (_lastSequence >= 0)
                    {
                        int step = (seq - _lastSequence) & 0xFFFF;
                        if (step == 0 || step > 0x8000) { Malformed(MalformedKind.OutOfOrder, $"live seq {seq} after {_lastSequence}"); continue; }
                        if (step > 1) Health.CountGap(step - 1);
                    }
                    _lastSequence = seq;
                    Health.CountFrames(1);
                    LiveFrameReceived?.Invoke(_frames[i]);
                }
            }
        }

        private void OnControl(byte[] v)
        {
            if (v.Length < 2) { Malformed(MalformedKind.Short, "control"); return; }
            if (v[0] == (byte)ControlMessage.Response)
            {
                if (v.Length < 4) { Malformed(MalformedKind.Short, "control response"); return; }
                // The id alone could match a stale answer (ids wrap at 256, a device may answer a
                // request of an earlier connection): the opcode must be the one this id asked for.
                if (!_pending.TryGetValue(v[2], out var p) || p.Op != (Opcode)v[1])
                {
                    Malformed(MalformedKind.UnknownOpcode, p.Answer == null
                        ? $"response to opcode 0x{v[1]:x2} id {v[2]}, which no request is waiting for"
                        : $"response to opcode 0x{v[1]:x2} id {v[2]}, but request {v[2]} was {p.Op}");
                    return;
                }
                if (_pending.TryRemove(v[2], out _)) p.Answer.TrySetResult(new ControlResponse((Opcode)v[1], v[2], (ResultCode)v[3], v[4..]));
                return;
            }
            if (v[0] == (byte)ControlMessage.Event && Enum.IsDefined(typeof(DeviceEvent), (int)v[1]))
            {
                var e = new DeviceEventMessage((DeviceEvent)v[1], v[2..]);
                string? wrong = DeviceEventCheck.Problem(e.Kind, e.Payload, out bool tooShort);
                if (wrong != null) { Malformed(tooShort ? MalformedKind.Short : MalformedKind.Inconsistent, wrong); return; }
                if (e.Kind == DeviceEvent.DownloadDone) OnDownloadDone(e.Payload);
                else if (e.Kind == DeviceEvent.DownloadFailed) OnDownloadFailed(e.Payload);
                EventReceived?.Invoke(e);
                return;
            }
            Malformed(MalformedKind.UnknownOpcode, $"control message 0x{v[0]:x2} 0x{v[1]:x2}");
        }

        private void OnStatus(byte[] v)
        {
            var s = new DeviceStatus();
            if (!s.Decode(v, 0, v.Length)) { Malformed(v.Length < DeviceStatus.EssentialLength ? MalformedKind.Short : MalformedKind.Inconsistent, "status"); return; }
            StatusReceived?.Invoke(s);
        }

        /// <summary>Sends a request and waits for its answer (any result code but InsufficientSecurity, which throws <see cref="NotPairedException"/>).</summary>
        public async Task<ControlResponse> RequestAsync(Opcode op, byte[]? parameters = null, CancellationToken ct = default)
        {
            int id = Interlocked.Increment(ref _nextId) & 0xFF;
            var tcs = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = (op, tcs);
            var bytes = new byte[2 + (parameters?.Length ?? 0)];
            bytes[0] = (byte)op;
            bytes[1] = (byte)id;
            parameters?.CopyTo(bytes, 2);
            try
            {
                await _link.WriteAsync(GattIds.Control, bytes, withResponse: true, ct);
                ControlResponse r = await tcs.Task.WaitAsync(RequestTimeout, ct);
                // The device answers nothing else to a host it is not paired with: say how to pair.
                if (r.Result == ResultCode.InsufficientSecurity)
                    throw new NotPairedException(PairingAdvice.NotPaired("the device", _link.PairCommand));
                return r;
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no answer from the device within {RequestTimeout.TotalSeconds:0} s to the request to {DeviceRefusal.Action(op)}");
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
        }

        /// <summary>Sends a request and insists on Success or Accepted.</summary>
        public async Task<ControlResponse> RequireAsync(Opcode op, byte[]? parameters = null, CancellationToken ct = default)
        {
            ControlResponse r = await RequestAsync(op, parameters, ct);
            if (r.Result != ResultCode.Success && r.Result != ResultCode.Accepted) throw new DeviceRequestException(op, r.Result, null, parameters, r.Payload);
            return r;
        }

        public async Task<DeviceStatus> ReadStatusAsync(CancellationToken ct = default)
        {
            byte[] v = await _link.ReadAsync(GattIds.Status, ct);
            var s = new DeviceStatus();
            if (!s.Decode(v, 0, v.Length)) throw new InvalidOperationException("the status characteristic does not decode");
            return s;
        }

        public async Task<DeviceConfig> ReadConfigAsync(CancellationToken ct = default)
        {
            byte[] v = await _link.ReadAsync(GattIds.Config, ct);
            var c = new DeviceConfig();
            ConfigField bad = DeviceConfig.Decode(v, 0, v.Length, c);
            if (bad != ConfigField.None) throw new InvalidOperationException($"the device's config does not decode ({bad})");
            return c;
        }

        /// <summary>Sends the settings as they are (check them first with <see cref="ConfigSettings.Check"/>: the device refuses what it cannot take, and says which).</summary>
        public async Task WriteConfigAsync(DeviceConfig config, CancellationToken ct = default)
        {
            var b = new byte[DeviceConfig.FixedLength + Math.Max(1, config.DeviceName.Length)];
            int n = config.Encode(b, 0);
            ControlResponse r = await RequestAsync(Opcode.WriteConfig, b[..n], ct);
            if (r.Result != ResultCode.Success && r.Result != ResultCode.Accepted) throw new DeviceRequestException(Opcode.WriteConfig, r.Result, null, b[..n], r.Payload, config);
        }

        public Task SetTimeAsync(DateTimeOffset now, CancellationToken ct = default) =>
            RequireAsync(Opcode.SetTime, BitConverter.GetBytes(now.ToUnixTimeMilliseconds()), ct);

        public async Task<string> ReadDeviceInformationAsync(ushort uuid, CancellationToken ct = default) =>
            System.Text.Encoding.ASCII.GetString(await _link.ReadAsync(Uuids.Of(uuid), ct));

        /// <summary>Every session on the device, page by page. A page that breaks the protocol's limits is refused, not half-read.</summary>
        public async Task<IReadOnlyList<SessionEntry>> ListSessionsAsync(CancellationToken ct = default)
        {
            var all = new List<SessionEntry>();
            while (true)
            {
                ControlResponse r = await RequireAsync(Opcode.ListSessions, new[] { (byte)all.Count, (byte)(all.Count >> 8) }, ct);
                var reader = new ByteReader(r.Payload);
                int total = reader.U16();
                int first = reader.U16();
                int n = reader.U8();
                bool compact = (n & 0x80) != 0;
                n &= 0x7F;
                if (!reader.Ok || first != all.Count || n > MaxEntriesPerPage || reader.Remaining != n * (compact ? SessionEntry.CompactLength : SessionEntry.EncodedLength))
                    throw new InvalidDataException($"a session list page does not follow the protocol (asked from {all.Count}: first {first}, {n} entries in {r.Payload.Length} bytes)");
                for (int i = 0; i < n; i++) all.Add(compact ? SessionEntry.ReadCompact(ref reader) : SessionEntry.Read(ref reader));
                if (all.Count >= total || n == 0) return all;
            }
        }

        /// <summary>Entries one ListSessions page holds at most (docs/protocol.md §10.2).</summary>
        public const int MaxEntriesPerPage = 8;

        public async ValueTask DisposeAsync()
        {
            _link.NotificationReceived -= OnNotification;
            _link.Disconnected -= OnDisconnected;
            await _link.DisposeAsync();
        }
    }
}
