using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge virtual-device` as its own process: kill it while it records (a power cut for the
    /// device, a vanished peer for the host), start it again, and the host gets back what survived.
    /// </summary>
    [StartsEarly(5)]
    public class VirtualDeviceProcessTests
    {
        private readonly ITestOutputHelper _out;

        public VirtualDeviceProcessTests(ITestOutputHelper output) => _out = output;

        /// <summary>The session's list entry once the device says it has recorded at least <paramref name="seconds"/>.</summary>
        private static async Task<SessionEntry> RecordingForAsync(DeviceClient client, int id, double seconds)
        {
            var patience = Stopwatch.StartNew();
            while (true)
            {
                SessionEntry e = (await client.ListSessionsAsync()).Single(s => s.Id == id);
                if (e.DurationS >= seconds) return e;
                Assert.True(patience.Elapsed < TimeSpan.FromMinutes(2), $"the device recorded only {e.DurationS} s in 2 minutes");
                await Task.Delay(50);
            }
        }

        [Fact]
        public async Task Killed_mid_recording_and_restarted_the_device_recovers_and_the_host_reconnects_and_downloads_it()
        {
            using var dir = new TempDir();
            string state = dir.File("flash");
            // A port no other socket is handed while the device is off: it comes back at the same address.
            int port = LoopbackPorts.OutsideEphemeralRange();
            var (first, url) = VirtualBench.StartProcess(state, $"127.0.0.1:{port}", speed: 20);
            Process? second = null;
            try
            {
                await using DeviceConnection d = await DeviceConnection.OpenAsync(new DeviceSelection(false, url), live: false, CancellationToken.None);
                ControlResponse r = await d.Client.RequireAsync(Opcode.StartRecording);
                int id = r.Payload[0] | (r.Payload[1] << 8);
                // About 20 s of recording (device time) before the cut; the patience only bounds a failure.
                SessionEntry before = await RecordingForAsync(d.Client, id, seconds: 20);
                Assert.True((before.Flags & SessionEntry.FlagRecording) != 0);

                first.Kill(entireProcessTree: true);
                first.WaitForExit();
                await LoopbackPorts.WaitUntilFreeAsync(port, TimeSpan.FromSeconds(30));
                (second, _) = VirtualBench.StartProcess(state, $"127.0.0.1:{port}", speed: 20);

                // The same connection object, as a running `hinge` would hold it: it reconnects by itself.
                using var db = new SessionDatabase(dir.File("hinge.db"));
                var synced = await SessionSync.SyncAsync(d, db, erase: false);
                SyncedSession s = Assert.Single(synced);
                Assert.Equal(id, s.DeviceSessionId);
                byte[] stored = db.RawSession(s.DatabaseId)!;
                // Byte for byte what the restarted device kept (its recovery truncated any torn tail).
                Assert.Equal(VirtualBench.FlashFile(state, id), stored);
                DecodedSession decoded = DecodedSession.Decode(stored, stored.Length);
                Assert.False(decoded.Closed);                      // cut short, not stopped
                Assert.True(decoded.DurationS >= before.DurationS - 1, $"{decoded.DurationS} s kept of {before.DurationS} s listed before the cut");
                Assert.True(decoded.Frames.Count > 300);
                SessionEntry after = (await d.Client.ListSessionsAsync()).Single(e => e.Id == id);
                Assert.True((after.Flags & SessionEntry.FlagDownloaded) != 0);
                Assert.True(d.Client.Health.Disconnects >= 1);
                _out.WriteLine($"kept {decoded.DurationS:0.0} s ({stored.Length} bytes, {decoded.Frames.Count} frames) of a session listed at {before.DurationS} s before the cut; {d.Client.Health.Disconnects} disconnects");
            }
            finally
            {
                if (!first.HasExited) first.Kill(true);
                if (second != null && !second.HasExited) second.Kill(true);
            }
        }
    }
}
