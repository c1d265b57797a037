using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice.Link;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// A virtual device in another process (`hinge virtual-device --listen`), over loopback TCP.
    /// The connection says which host it comes from (the constructor's host name), so the device
    /// can tell a bonded host from a stranger; <see cref="PairAsync"/> is passkey entry.
    /// </summary>
    public sealed class LoopbackDeviceLink : IDeviceLink
    {
        private readonly IPEndPoint _endpoint;
        private readonly int _requestedMtu;
        private readonly string _host;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly ConcurrentDictionary<uint, TaskCompletionSource<(byte Status, byte[] Value)>> _pending = new();
        private TcpClient? _client;
        private NetworkStream? _stream;
        private CancellationTokenSource? _readLoop;
        private TaskCompletionSource<int>? _connected;
        private int _mtu = 23;
        private uint _nextRequest;
        private volatile bool _isConnected;

        /// <param name="host">Who this computer is to the device (a stand-in for a Bluetooth identity address).</param>
        public LoopbackDeviceLink(IPEndPoint endpoint, int requestedMtu = 247, string host = AttLinkModel.DefaultHost)
        {
            _endpoint = endpoint;
            _requestedMtu = requestedMtu;
            _host = host;
        }

        public string Description => $"virtual device at {_endpoint} (loopback)";

        public string PairCommand => $"hinge pair --device tcp://{_endpoint}";
        public bool IsConnected => _isConnected;
        public int Mtu => _mtu;

        public event Action<string, byte[]>? NotificationReceived;
        public event Action<string>? Disconnected;

        public async Task ConnectAsync(CancellationToken ct)
        {
            Close();
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(_endpoint, ct);
            }
            catch (SocketException e)
            {
                client.Dispose();
                throw new LinkUnavailableException($"no virtual device listening at {_endpoint} ({e.SocketErrorCode}): start one with `hinge virtual-device --listen {_endpoint}`", e);
            }
            _client = client;
            _stream = client.GetStream();
            _readLoop = new CancellationTokenSource();
            _connected = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = Task.Run(() => ReadLoopAsync(_stream, _readLoop.Token));
            var connect = new MemoryStream();
            connect.Write(new byte[] { (byte)_requestedMtu, (byte)(_requestedMtu >> 8) });
            LoopbackProtocol.PutString(connect, _host);
            await LoopbackProtocol.WriteFrameAsync(_stream, LoopbackProtocol.Connect, connect.ToArray(), _gate, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            _mtu = await _connected.Task.WaitAsync(timeout.Token);
            _isConnected = true;
        }

        private async Task ReadLoopAsync(NetworkStream s, CancellationToken ct)
        {
            string reason = "the virtual device closed the connection";
            try
            {
                while (true)
                {
                    var frame = await LoopbackProtocol.ReadFrameAsync(s, ct);
                    if (frame == null) break;
                    var (type, payload) = frame.Value;
                    var p = new LoopbackFrameReader(type, payload);
                    switch (type)
                    {
                        case LoopbackProtocol.Connected:
                            _connected?.TrySetResult(p.U16("MTU"));
                            break;
                        case LoopbackProtocol.Notification:
                            string uuid = p.String("UUID");
                            NotificationReceived?.Invoke(uuid, p.Rest());
                            break;
                        case LoopbackProtocol.ReadResult:
                        case LoopbackProtocol.WriteResult:
                        case LoopbackProtocol.SubscribeResult:
                        case LoopbackProtocol.PairResult:
                            uint id = p.U32("request id");
                            byte status = p.U8("status");
                            if (_pending.TryRemove(id, out var tcs)) tcs.TrySetResult((status, p.Rest()));
                            break;
                        case LoopbackProtocol.Disconnect:
                            reason = p.String("reason");
                            goto done;
                    }
                }
            done:;
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidDataException) { reason = "connection to the virtual device lost: " + e.Message; }
            catch (OperationCanceledException) { return; }
            bool was = _isConnected;
            _isConnected = false;
            foreach (var (_, tcs) in _pending) tcs.TrySetException(new LinkLostException(reason));
            _pending.Clear();
            _connected?.TrySetException(new LinkLostException(reason));
            if (was) Disconnected?.Invoke(reason);
        }

        private async Task<byte[]> RequestAsync(byte type, Action<MemoryStream> body, bool awaitReply, CancellationToken ct)
        {
            var (status, value) = await ExchangeAsync(type, body, awaitReply, ct);
            if (status == LoopbackProtocol.StatusNotConnected) throw new LinkLostException("not connected");
            if (status == LoopbackProtocol.StatusNotPaired) throw new NotPairedException(PairingAdvice.NotPaired($"the virtual device at tcp://{_endpoint}", PairCommand));
            if (status != LoopbackProtocol.StatusOk) throw new InvalidOperationException("the device refused the operation");
            return value;
        }

        /// <summary>
        /// Passkey entry with the passkey the user typed: true when the device paired (and bonded,
        /// if its window allowed it); false when the passkey did not match or the device refused.
        /// </summary>
        public async Task<bool> PairAsync(int passkey, CancellationToken ct)
        {
            var (status, _) = await ExchangeAsync(LoopbackProtocol.Pair, m => LoopbackProtocol.PutU32(m, (uint)passkey), true, ct);
            if (status == LoopbackProtocol.StatusNotConnected) throw new LinkLostException("not connected");
            return status == LoopbackProtocol.StatusOk;
        }

        private async Task<(byte Status, byte[] Value)> ExchangeAsync(byte type, Action<MemoryStream> body, bool awaitReply, CancellationToken ct)
        {
            NetworkStream s = _stream ?? throw new LinkLostException("not connected");
            uint id = Interlocked.Increment(ref _nextRequest);
            var m = new MemoryStream();
            LoopbackProtocol.PutU32(m, id);
            body(m);
            var tcs = new TaskCompletionSource<(byte, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (awaitReply) _pending[id] = tcs;
            // Once the read loop has ended (the device said goodbye, or sent what is not a frame)
            // nothing reads an answer: say so now, not after the 10 s of patience. Looked at after
            // the request is registered: a loop ending meanwhile fails what it finds registered.
            if (!_isConnected)
            {
                _pending.TryRemove(id, out _);
                throw new LinkLostException("not connected");
            }
            try
            {
                await LoopbackProtocol.WriteFrameAsync(s, type, m.ToArray(), _gate, ct);
            }
            catch (IOException e)
            {
                _pending.TryRemove(id, out _);
                throw new LinkLostException("connection to the virtual device lost: " + e.Message);
            }
            if (!awaitReply) return (LoopbackProtocol.StatusOk, Array.Empty<byte>());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            return await tcs.Task.WaitAsync(timeout.Token);
        }

        public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => RequestAsync(LoopbackProtocol.Read, m => LoopbackProtocol.PutString(m, uuid), true, ct);

        public Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct) =>
            RequestAsync(LoopbackProtocol.Write, m => { m.WriteByte(withResponse ? (byte)1 : (byte)0); LoopbackProtocol.PutString(m, uuid); m.Write(value.Span); }, withResponse, ct);

        public Task SubscribeAsync(string uuid, CancellationToken ct) => RequestAsync(LoopbackProtocol.Subscribe, m => LoopbackProtocol.PutString(m, uuid), true, ct);

        public async Task DisconnectAsync()
        {
            if (_stream != null && _isConnected)
            {
                try { await LoopbackProtocol.WriteFrameAsync(_stream, LoopbackProtocol.Disconnect, new byte[] { 0 }, _gate, CancellationToken.None); }
                catch (IOException) { }
            }
            _isConnected = false;
            Close();
        }

        private void Close()
        {
            _readLoop?.Cancel();
            _stream?.Dispose();
            _client?.Dispose();
            _stream = null;
            _client = null;
        }

        public ValueTask DisposeAsync()
        {
            Close();
            return ValueTask.CompletedTask;
        }
    }
}
