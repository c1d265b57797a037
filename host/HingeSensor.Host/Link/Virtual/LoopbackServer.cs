using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// Serves a virtual device's ATT link on a loopback TCP port, one host at a time. A host that
    /// goes away is a BLE disconnect for the device; a device killed with its process is a link
    /// lost for the host. Whatever a peer sends, the server lives on: a frame whose payload does
    /// not fit its type is counted, logged and dropped; a stream that has lost its framing is
    /// closed with the reason logged; and the next connection is served.
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

        /// <summary>Where the server says what it dropped or closed, and why (the command prints it on stderr).</summary>
        public Action<string>? Log { get; set; }

        /// <summary>Frames dropped as malformed or of an unknown type, and streams closed for lost framing, since the start.</summary>
        public long MalformedFrames => Interlocked.Read(ref _malformed);

        private long _malformed;

        private void Malformed(string what)
        {
            Interlocked.Increment(ref _malformed);
            Log?.Invoke(what);
        }

        public void Start() => _listener.Start();

        public async Task RunAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(ct); }
                catch (OperationCanceledException) { break; }
                string peer = client.Client.RemoteEndPoint?.ToString() ?? "a peer";
                try
                {
                    using (client) await ServeAsync(client, peer, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // One connection's trouble is never the device's end: say what it was and serve the next.
                    Log?.Invoke($"connection from {peer} ended by an error: {e.GetType().Name}: {e.Message}");
                }
            }
            _listener.Stop();
        }

        private async Task ServeAsync(TcpClient client, string peer, CancellationToken ct)
        {
            client.NoDelay = true;
            NetworkStream s = client.GetStream();
            var gate = new SemaphoreSlim(1, 1);
            var outbox = Channel.CreateUnbounded<(byte, byte[])>(new UnboundedChannelOptions { SingleReader = true });
            // Notifications come from the device's thread: queued, a writer sends them in order.
            using var session = new AttFrameSession(_device, (type, payload) => outbox.Writer.TryWrite((type, payload)));
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
                    (byte Type, byte[] Payload)? frame;
                    try { frame = await LoopbackProtocol.ReadFrameAsync(s, stop.Token); }
                    catch (InvalidDataException e)
                    {
                        Malformed($"closed the connection from {peer}: {e.Message}");
                        break;
                    }
                    if (frame == null) break;
                    var (type, p) = frame.Value;
                    (byte, byte[])? reply;
                    try { reply = session.Handle(type, p); }
                    catch (InvalidDataException e)
                    {
                        // The framing is intact: drop this frame and read the next.
                        Malformed($"dropped a malformed frame from {peer}: {e.Message}");
                        continue;
                    }
                    if (reply != null) outbox.Writer.TryWrite(reply.Value);
                }
            }
            catch (Exception e) when (e is IOException || e is OperationCanceledException) { }
            finally
            {
                outbox.Writer.TryComplete();
                stop.Cancel();
                try { await writer; } catch (Exception) { }
            }
        }
    }
}
