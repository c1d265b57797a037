using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// Serves a virtual device's ATT link on a loopback TCP port, one host at a time. A host that
    /// goes away is a BLE disconnect for the device; a device killed with its process is a link
    /// lost for the host.
    /// </summary>
    public sealed class LoopbackServer
    {
        private readonly VirtualDeviceHost _device;
        private readonly TcpListener _listener;

        public LoopbackServer(VirtualDeviceHost device, IPEndPoint endpoint)
        {
            if (!IPAddress.IsLoopback(endpoint.Address)) throw new ArgumentException($"the virtual device listens on loopback only, not {endpoint.Address}");
            _device = device;
            _listener = new TcpListener(endpoint);
        }

        public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

        public void Start() => _listener.Start();

        public async Task RunAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(ct); }
                catch (OperationCanceledException) { break; }
                using (client) await ServeAsync(client, ct);
                _device.Link.Disconnect("host went away");
            }
            _listener.Stop();
        }

        private async Task ServeAsync(TcpClient client, CancellationToken ct)
        {
            client.NoDelay = true;
            NetworkStream s = client.GetStream();
            var gate = new SemaphoreSlim(1, 1);
            var outbox = Channel.CreateUnbounded<(byte, byte[])>(new UnboundedChannelOptions { SingleReader = true });
            // Notifications come from the device's thread: queue them, a writer sends them in order.
            _device.Link.Notify = (uuid, value) =>
            {
                var m = new MemoryStream();
                LoopbackProtocol.PutString(m, uuid);
                m.Write(value);
                outbox.Writer.TryWrite((LoopbackProtocol.Notification, m.ToArray()));
            };
            _device.Link.Dropped = reason =>
            {
                var m = new MemoryStream();
                LoopbackProtocol.PutString(m, reason);
                outbox.Writer.TryWrite((LoopbackProtocol.Disconnect, m.ToArray()));
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task writer = Task.Run(async () =>
            {
                await foreach (var (type, payload) in outbox.Reader.ReadAllAsync(stop.Token))
                    await LoopbackProtocol.WriteFrameAsync(s, type, payload, gate, stop.Token);
            }, stop.Token);
            try
            {
                while (true)
                {
                    var frame = await LoopbackProtocol.ReadFrameAsync(s, stop.Token);
                    if (frame == null) break;
                    var (type, p) = frame.Value;
                    (byte, byte[])? reply = Handle(type, p);
                    if (reply != null) outbox.Writer.TryWrite(reply.Value);
                }
            }
            catch (Exception e) when (e is IOException || e is OperationCanceledException || e is InvalidDataException) { }
            finally
            {
                _device.Link.Notify = null;
                _device.Link.Dropped = null;
                outbox.Writer.TryComplete();
                stop.Cancel();
                try { await writer; } catch (Exception) { }
            }
        }

        private (byte, byte[])? Handle(byte type, byte[] p)
        {
            int at = 0;
            switch (type)
            {
                case LoopbackProtocol.Connect:
                    {
                        at = 2;
                        string host = p.Length > at ? LoopbackProtocol.GetString(p, ref at) : AttLinkModel.DefaultHost;
                        int mtu = _device.Link.Connect(BinaryPrimitives.ReadUInt16LittleEndian(p), host);
                        var b = new byte[2];
                        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)mtu);
                        return (LoopbackProtocol.Connected, b);
                    }
                case LoopbackProtocol.Disconnect:
                    _device.Link.Disconnect("host disconnected");
                    return null;
                case LoopbackProtocol.Read:
                    {
                        uint id = BinaryPrimitives.ReadUInt32LittleEndian(p);
                        at = 4;
                        string uuid = LoopbackProtocol.GetString(p, ref at);
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        try
                        {
                            byte[] value = _device.Link.Read(uuid);
                            m.WriteByte(LoopbackProtocol.StatusOk);
                            m.Write(value);
                        }
                        catch (InvalidOperationException e) { m.WriteByte(StatusOf(e)); }
                        return (LoopbackProtocol.ReadResult, m.ToArray());
                    }
                case LoopbackProtocol.Write:
                case LoopbackProtocol.Subscribe:
                    {
                        uint id = BinaryPrimitives.ReadUInt32LittleEndian(p);
                        at = 4;
                        bool withResponse = type == LoopbackProtocol.Write && p[at++] != 0;
                        string uuid = LoopbackProtocol.GetString(p, ref at);
                        byte status = LoopbackProtocol.StatusOk;
                        try
                        {
                            if (type == LoopbackProtocol.Write) _device.Link.Write(uuid, p[at..], withResponse);
                            else _device.Link.Subscribe(uuid, true);
                        }
                        catch (InvalidOperationException e) { status = StatusOf(e); }
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        m.WriteByte(status);
                        // A write without response is not answered, as in ATT.
                        if (type == LoopbackProtocol.Write && !withResponse && status == LoopbackProtocol.StatusOk) return null;
                        return (type == LoopbackProtocol.Write ? LoopbackProtocol.WriteResult : LoopbackProtocol.SubscribeResult, m.ToArray());
                    }
                case LoopbackProtocol.Pair:
                    {
                        uint id = BinaryPrimitives.ReadUInt32LittleEndian(p);
                        int passkey = (int)BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(4));
                        byte status;
                        try { status = _device.Link.Pair(passkey) ? LoopbackProtocol.StatusOk : LoopbackProtocol.StatusAuthenticationFailed; }
                        catch (InvalidOperationException e) { status = StatusOf(e); }
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        m.WriteByte(status);
                        return (LoopbackProtocol.PairResult, m.ToArray());
                    }
                default:
                    return null;
            }
        }

        private static byte StatusOf(InvalidOperationException e) =>
            e is InsufficientAuthenticationException ? LoopbackProtocol.StatusNotPaired
            : e.Message == "not connected" ? LoopbackProtocol.StatusNotConnected
            : LoopbackProtocol.StatusRefused;
    }
}
