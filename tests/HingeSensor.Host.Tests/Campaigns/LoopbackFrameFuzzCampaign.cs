using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Tests.Device;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// The loopback link (docs/protocol.md Appendix A) fed hostile frames, mutated from frames
    /// our own code lays out: as a byte stream into the framing reader; against a running
    /// `hinge virtual-device` server, connection after connection; and from a server into the
    /// host's link. Goal: a stream whose framing is lost is refused (InvalidDataException) before
    /// anything is allocated for a stated length past the protocol's 1 MiB; a malformed frame is
    /// counted and dropped, and the server lives and serves a valid client afterwards; the host's
    /// link goes on or says the link is lost — no other exception, ever.
    /// </summary>
    public class LoopbackFrameFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public LoopbackFrameFuzzCampaign(ITestOutputHelper output) => _out = output;

        /// <summary>A frame body (type, payload) as <see cref="LoopbackProtocol"/> lays it out.</summary>
        private static byte[] Body(byte type, Action<MemoryStream> payload)
        {
            var m = new MemoryStream();
            m.WriteByte(type);
            payload(m);
            return m.ToArray();
        }

        private static byte[] Framed(byte[] body) => BitConverter.GetBytes((uint)body.Length).Concat(body).ToArray();

        /// <summary>What a host sends.</summary>
        private static readonly byte[][] HostFrames =
        {
            Body(LoopbackProtocol.Connect, m => { m.Write(new byte[] { 247, 0 }); LoopbackProtocol.PutString(m, AttLinkModel.DefaultHost); }),
            Body(LoopbackProtocol.Read, m => { LoopbackProtocol.PutU32(m, 7); LoopbackProtocol.PutString(m, GattIds.Status); }),
            Body(LoopbackProtocol.Write, m => { LoopbackProtocol.PutU32(m, 8); m.WriteByte(1); LoopbackProtocol.PutString(m, GattIds.Control); m.Write(new byte[] { (byte)Opcode.ListSessions, 9, 0, 0 }); }),
            Body(LoopbackProtocol.Write, m => { LoopbackProtocol.PutU32(m, 10); m.WriteByte(0); LoopbackProtocol.PutString(m, GattIds.Control); m.Write(new byte[] { (byte)Opcode.Identify, 11 }); }),
            Body(LoopbackProtocol.Subscribe, m => { LoopbackProtocol.PutU32(m, 12); LoopbackProtocol.PutString(m, GattIds.Live); }),
            Body(LoopbackProtocol.Pair, m => { LoopbackProtocol.PutU32(m, 13); LoopbackProtocol.PutU32(m, 123456); }),
            Body(LoopbackProtocol.Disconnect, m => LoopbackProtocol.PutString(m, "")),
        };

        /// <summary>What a device sends.</summary>
        private static readonly byte[][] DeviceFrames =
        {
            Body(LoopbackProtocol.Connected, m => m.Write(new byte[] { 185, 0 })),
            Body(LoopbackProtocol.Notification, m => { LoopbackProtocol.PutString(m, GattIds.Live); m.Write(new byte[] { 2, 1, 5, 0, 1, 2, 3, 4, 0x10, 0, 0x20, 0, 0x30, 0, 0x40, 0, 9, 0, 0xE3, 3 }); }),
            Body(LoopbackProtocol.Notification, m => { LoopbackProtocol.PutString(m, GattIds.Control); m.Write(new byte[] { 0xF1, 4, 1, 1 }); }),
            Body(LoopbackProtocol.ReadResult, m => { LoopbackProtocol.PutU32(m, 99); m.WriteByte(LoopbackProtocol.StatusOk); m.Write(new byte[] { 1, 2, 3 }); }),
            Body(LoopbackProtocol.WriteResult, m => { LoopbackProtocol.PutU32(m, 98); m.WriteByte(LoopbackProtocol.StatusRefused); }),
            Body(LoopbackProtocol.SubscribeResult, m => { LoopbackProtocol.PutU32(m, 97); m.WriteByte(LoopbackProtocol.StatusOk); }),
            Body(LoopbackProtocol.PairResult, m => { LoopbackProtocol.PutU32(m, 96); m.WriteByte(LoopbackProtocol.StatusAuthenticationFailed); }),
            Body(LoopbackProtocol.Disconnect, m => LoopbackProtocol.PutString(m, "bye")),
        };

        [Fact]
        public async Task Mutated_byte_streams_are_framed_or_refused_before_allocating_for_a_length_past_the_protocol()
        {
            int cases = CampaignScale.Size(20_000, 400_000);
            byte[] stream = HostFrames.Concat(DeviceFrames).SelectMany(Framed).ToArray();
            var mutator = new Mutator(1024);
            var tally = new FuzzTally("loopback-framing", typeof(InvalidDataException));
            for (int i = 0; i < cases; i++)
            {
                Mutation m = mutator.Next(stream, i);
                tally.Count();
                string? verdict = null;
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                int frames = 0;
                try
                {
                    var s = new MemoryStream(m.Bytes);
                    while (await LoopbackProtocol.ReadFrameAsync(s, CancellationToken.None) is { } f)
                    {
                        frames++;
                        if (f.Payload.Length + 1 > LoopbackProtocol.MaxFrameBytes) verdict = $"a frame of {f.Payload.Length + 1} bytes";
                    }
                }
                catch (InvalidDataException) { verdict = null; }
                catch (Exception e) { tally.Crash($"{mutator.Reproduce(i)}: {m.Description}", e.ToString()); continue; }
                // A stated length is believed only up to the protocol's limit (and then only that much is read into).
                long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (used > LoopbackProtocol.MaxFrameBytes + m.Bytes.Length + 64 * 1024) verdict = $"{used} bytes allocated for a stream of {m.Bytes.Length}";
                if (verdict != null) tally.Corrupt($"{mutator.Reproduce(i)}: {m.Description}", verdict);
                else if (frames < HostFrames.Length + DeviceFrames.Length) tally.Refusal();
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        [Fact]
        public async Task Hostile_frames_against_a_running_server_are_dropped_and_a_valid_host_is_served_after()
        {
            int batches = CampaignScale.Size(500, 10_000);
            const int PerBatch = 8;
            using var dir = new TempDir();
            using VirtualDeviceHost device = VirtualBench.StartDevice(dir.File("flash"), speed: 5);
            lock (device.Rig) device.Rig.Bonds.Add(AttLinkModel.DefaultHost);
            var log = new ConcurrentQueue<string>();
            var server = new LoopbackServer(device, new IPEndPoint(IPAddress.Loopback, 0)) { Log = log.Enqueue };
            server.Start();
            using var stop = new CancellationTokenSource();
            Task serving = server.RunAsync(stop.Token);
            var mutator = new Mutator(2048);
            var tally = new FuzzTally("loopback-server");
            double deviceTimeBefore = device.TimeS;
            for (int b = 0; b < batches; b++)
            {
                // One connection: a valid Connect, mutated frames with their length stated right, one
                // frame mutated whole (its length too: it may lose the framing), then the host hangs up.
                var sent = new List<(int Index, Mutation M)>();
                var bytes = new List<byte>(Framed(HostFrames[0]));
                for (int k = 0; k < PerBatch; k++)
                {
                    int i = b * PerBatch + k;
                    byte[] valid = HostFrames[i % HostFrames.Length];
                    Mutation m = k < PerBatch - 1 ? mutator.Next(valid, i) : mutator.Next(Framed(valid), i);
                    sent.Add((i, m));
                    bytes.AddRange(k < PerBatch - 1 ? Framed(m.Bytes) : m.Bytes);
                    tally.Count();
                }
                long malformedBefore = server.MalformedFrames;
                int logged = log.Count;
                using (var client = new TcpClient())
                {
                    await client.ConnectAsync(server.Endpoint);
                    NetworkStream s = client.GetStream();
                    await s.WriteAsync(bytes.ToArray());
                    client.Client.Shutdown(SocketShutdown.Send);
                    // Everything the server answers, until it closes its side: it has read every frame.
                    try { while (await LoopbackProtocol.ReadFrameAsync(s, CancellationToken.None) != null) { } }
                    catch (IOException) { } // reset after it closed for lost framing
                }
                tally.Refusal((int)(server.MalformedFrames - malformedBefore));
                foreach (string line in log.Skip(logged))
                    if (line.Contains("ended by an error"))
                        tally.Crash($"batch {b} (cases {sent[0].Index}-{sent[^1].Index}: {string.Join(" | ", sent.Select(x => x.M.Description))})", line);
                if (serving.IsCompleted || device.Failure != null) break;
            }

            // After the storm: the process lives, the device runs, a host connects and is answered.
            // (The storm's Pair frames cost this computer its bond — a bonded host that pairs again
            // loses its old one, as on the device — so it pairs again, as its wearer would.)
            Assert.False(serving.IsCompleted, "the server stopped: " + serving.Exception);
            lock (device.Rig) device.Rig.Bonds.Add(AttLinkModel.DefaultHost);
            Assert.Null(device.Failure);
            Assert.True(device.WaitForDeviceTime(deviceTimeBefore + 1, TimeSpan.FromSeconds(30)), "the device stopped running");
            await using (DeviceConnection d = await DeviceConnection.OpenAsync(new LoopbackDeviceLink(server.Endpoint), live: false, CancellationToken.None))
            {
                await d.Client.ReadStatusAsync();
                await d.Client.ListSessionsAsync();
            }
            stop.Cancel();
            await serving;
            _out.WriteLine(tally.Summary + $" malformed_frames={server.MalformedFrames}");
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(server.MalformedFrames > batches, $"only {server.MalformedFrames} frames were malformed: the mutations do not reach the frame decoder");
        }

        [Fact]
        public async Task Hostile_frames_from_a_server_never_throw_out_of_the_hosts_link()
        {
            int cases = CampaignScale.Size(600, 12_000);
            var mutator = new Mutator(4096);
            // LinkLostException: the link fell and said so. InvalidOperationException: a result frame
            // with a refusal status that carries the pending request's id is the device's refusal.
            var tally = new FuzzTally("loopback-client", typeof(LinkLostException), typeof(InvalidOperationException));
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var endpoint = (IPEndPoint)listener.LocalEndpoint;
            try
            {
                for (int i = 0; i < cases; i++)
                {
                    int index = i;
                    // Four frames a device might send, mutated, their length stated right (the framing itself is the first test's).
                    Mutation[] ms = Enumerable.Range(0, 4).Select(k => mutator.Next(DeviceFrames[(4 * i + k) % DeviceFrames.Length], 4 * i + k)).ToArray();
                    var link = new LoopbackDeviceLink(endpoint);
                    _ = new DeviceClient(link); // its handlers take the notifications, as in `hinge live --device tcp://…`
                    Task connecting = link.ConnectAsync(CancellationToken.None);
                    using TcpClient peer = await listener.AcceptTcpClientAsync();
                    peer.NoDelay = true; // as the server does: a header and its payload are two writes
                    NetworkStream s = peer.GetStream();
                    var gate = new SemaphoreSlim(1, 1);
                    await LoopbackProtocol.ReadFrameAsync(s, CancellationToken.None); // Connect
                    await LoopbackProtocol.WriteFrameAsync(s, LoopbackProtocol.Connected, new byte[] { 247, 0 }, gate, CancellationToken.None);
                    await connecting;
                    foreach (Mutation m in ms)
                        if (m.Bytes.Length > 0) await LoopbackProtocol.WriteFrameAsync(s, m.Bytes[0], m.Bytes[1..], gate, CancellationToken.None);
                        else await s.WriteAsync(new byte[4]); // a zero length: lost framing
                    tally.Run(() => $"{mutator.Reproduce(4 * index)}…+3: {string.Join(" | ", ms.Select(m => m.Description))}", () =>
                    {
                        // A read after them: answered if the link still stands, LinkLostException if it said it fell.
                        Task<byte[]> read = link.ReadAsync(GattIds.Status, CancellationToken.None);
                        Task serve = ServeOneReadAsync(s, gate);
                        if (Task.WaitAny(new Task[] { read }, TimeSpan.FromSeconds(15)) < 0 || read.IsCanceled)
                            throw new TimeoutException("the link neither answered nor said it was lost");
                        if (read.IsFaulted) throw read.Exception!.InnerException!;
                        return ""; // answered (a mutated ReadResult may carry the same request id: the link cannot tell, nor should it)
                    });
                    await link.DisposeAsync();
                    if (tally.Crashes >= 3) break; // a link that hangs costs its 10 s a case: three say enough
                }
            }
            finally { listener.Stop(); }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        /// <summary>Answers the next Read frame with the value { 42 } (the server side of the client test); quiet if the link went away.</summary>
        private static async Task ServeOneReadAsync(NetworkStream s, SemaphoreSlim gate)
        {
            try
            {
                while (await LoopbackProtocol.ReadFrameAsync(s, CancellationToken.None) is { } f)
                {
                    if (f.Type != LoopbackProtocol.Read) continue;
                    var reply = BitConverter.GetBytes(BitConverter.ToUInt32(f.Payload, 0)).Concat(new byte[] { LoopbackProtocol.StatusOk, 42 }).ToArray();
                    await LoopbackProtocol.WriteFrameAsync(s, LoopbackProtocol.ReadResult, reply, gate, CancellationToken.None);
                    return;
                }
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException) { }
        }
    }
}
