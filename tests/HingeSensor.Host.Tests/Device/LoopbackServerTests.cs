using HingeSensor.TestSupport;
using System;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link.Virtual;
using Xunit;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>`hinge virtual-device` against a peer that does not speak its protocol: the process lives on and serves the next host.</summary>
    public class LoopbackServerTests
    {
        [Fact]
        public async Task Malformed_frames_are_logged_and_dropped_and_the_next_connection_is_served()
        {
            using var dir = new TempDir();
            var (process, url) = VirtualBench.StartProcess(dir.File("flash"), "127.0.0.1:0");
            try
            {
                var endpoint = System.Net.IPEndPoint.Parse(url["tcp://".Length..]);
                using (var raw = new TcpClient())
                {
                    await raw.ConnectAsync(endpoint);
                    NetworkStream s = raw.GetStream();
                    // A Connect frame without its MTU: the frame is whole, its payload too short.
                    await s.WriteAsync(new byte[] { 0x01, 0x00, 0x00, 0x00, 0x01 });
                    Assert.Contains("dropped a malformed frame", await StderrLineAsync(process));
                    // A Read whose UUID length runs past the end of the frame.
                    await s.WriteAsync(new byte[] { 0x07, 0x00, 0x00, 0x00, 0x03, 1, 0, 0, 0, 200, 0x41 });
                    Assert.Contains("its UUID runs past the end", await StderrLineAsync(process));
                    // A frame of an unknown type.
                    await s.WriteAsync(new byte[] { 0x01, 0x00, 0x00, 0x00, 0x63 });
                    Assert.Contains("unknown (type 99)", await StderrLineAsync(process));
                    // A zero length: the stream has lost its framing, the server closes it.
                    await s.WriteAsync(new byte[] { 0x00, 0x00, 0x00, 0x00 });
                    Assert.Contains("closed the connection", await StderrLineAsync(process));
                    Assert.Equal(0, await s.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
                }

                Assert.False(process.HasExited);
                var status = CliTests.Hinge("device", "status", "--device", url, "--json");
                Assert.True(status.Code == 0, status.Err);
                using JsonDocument j = JsonDocument.Parse(status.Out);
                Assert.Equal("idle", j.RootElement.GetProperty("recording").GetString());
                Assert.False(process.HasExited);
            }
            finally
            {
                if (!process.HasExited) process.Kill(true);
            }
        }

        [Fact]
        public async Task A_request_after_the_device_said_goodbye_fails_as_a_lost_link()
        {
            var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var link = new HingeSensor.Host.Link.Virtual.LoopbackDeviceLink((System.Net.IPEndPoint)listener.LocalEndpoint);
                var lost = new TaskCompletionSource<string>();
                link.Disconnected += reason => lost.TrySetResult(reason);
                Task connecting = link.ConnectAsync(CancellationToken.None);
                using TcpClient device = await listener.AcceptTcpClientAsync();
                NetworkStream s = device.GetStream();
                var gate = new SemaphoreSlim(1, 1);
                await LoopbackProtocol.ReadFrameAsync(s, CancellationToken.None);
                await LoopbackProtocol.WriteFrameAsync(s, LoopbackProtocol.Connected, new byte[] { 247, 0 }, gate, CancellationToken.None);
                await connecting;
                await LoopbackProtocol.WriteFrameAsync(s, LoopbackProtocol.Disconnect, new byte[] { 3, (byte)'b', (byte)'y', (byte)'e' }, gate, CancellationToken.None);
                Assert.Equal("bye", await lost.Task.WaitAsync(TimeSpan.FromSeconds(10)));

                // The socket is still open, but nothing reads it any more: was a wait for the 10 s timeout, then a cancellation.
                await Assert.ThrowsAsync<HingeSensor.Host.Link.LinkLostException>(() => link.ReadAsync(GattIds.Status, CancellationToken.None));
                await link.DisposeAsync();
            }
            finally { listener.Stop(); }
        }

        private static async Task<string> StderrLineAsync(System.Diagnostics.Process p) =>
            await p.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "(stderr closed: the process ended)";
    }
}
