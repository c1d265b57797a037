using HingeSensor.TestSupport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Storage;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>Downloads through the ATT link model: speed against the link's capacity, and resumption.</summary>
    [Collection(RecordedFlashCollection.Name)]
    public class DownloadTests
    {
        private readonly RecordedFlash _flash;
        private readonly ITestOutputHelper _out;

        public DownloadTests(RecordedFlash flash, ITestOutputHelper output)
        {
            _flash = flash;
            _out = output;
        }

        [Fact]
        public async Task A_download_at_MTU_247_uses_at_least_85_percent_of_the_links_payload_capacity()
        {
            using var dir = new TempDir();
            // Real time: the device is paced as hardware is.
            using VirtualDeviceHost host = VirtualBench.StartDevice(_flash.Copy(dir), speed: 1);
            var link = new TamperingLink(new Link.Virtual.VirtualDeviceLink(host, 247));
            await using DeviceConnection d = await DeviceConnection.OpenAsync(link, live: false, CancellationToken.None, host, "virtual");
            SessionEntry e = (await d.Client.ListSessionsAsync()).Single(s => s.Id == _flash.SessionId);
            // Timed on the device's clock from its first data notification to its DownloadDone
            // event (notifications are delivered on the device's thread): the transfer itself, not
            // however long a busy test machine takes to send the request.
            double first = double.NaN, done = double.NaN;
            link.Tamper = (uuid, v) =>
            {
                if (double.IsNaN(first) && uuid.Equals(GattIds.SessionData, StringComparison.OrdinalIgnoreCase)) first = host.TimeS;
                if (uuid.Equals(GattIds.Control, StringComparison.OrdinalIgnoreCase) && v.Length > 1 && v[0] == (byte)ControlMessage.Event && v[1] == (byte)DeviceEvent.DownloadDone) done = host.TimeS;
                return new[] { v };
            };
            long packets0 = host.Link.Packets;
            byte[] bytes = (await d.Client.DownloadAsync(e, null, CancellationToken.None)).Bytes;
            Assert.Equal(_flash.Bytes, bytes);
            AttLinkSettings settings = host.Link.Settings;
            // The first notification left at the end of its connection event: count that event too.
            double seconds = done - first + settings.ConnectionIntervalMs / 1000;
            double capacity = settings.CapacityBytesPerS(247);
            double ratio = bytes.Length / seconds / capacity;
            _out.WriteLine($"{bytes.Length} bytes in {seconds:0.000} s of device time = {bytes.Length / seconds / 1000:0.0} kB/s; capacity {capacity / 1000:0.0} kB/s; ratio {ratio:P1}; {host.Link.Packets - packets0} notifications");
            Assert.True(ratio >= 0.85, $"download reached {ratio:P1} of the link's capacity");
        }

        [Fact]
        public async Task Two_hundred_disconnects_at_random_points_each_resume_and_the_stored_session_is_byte_identical()
        {
            using var dir = new TempDir();
            using VirtualDeviceHost host = VirtualBench.StartDevice(_flash.Copy(dir), speed: 0);
            await using DeviceConnection d = await VirtualBench.ConnectAsync(host, mtu: 185);
            var rng = new Random(2026);
            int drops = 0;
            // After every (re)connection, arm a drop a random number of notifications later —
            // anywhere: mid-chunk stream, on a request's answer, on the DownloadDone event.
            Func<CancellationToken, Task> reconnect = d.Client.Reconnect!;
            void Arm()
            {
                if (drops >= 200) return;
                drops++;
                host.Link.DropAfter(rng.Next(0, 6));
            }
            d.Client.Reconnect = async ct =>
            {
                await reconnect(ct);
                Arm();
            };
            Arm();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            int resumes = 0;
            var synced = new List<SyncedSession>();
            while (true)
            {
                try
                {
                    synced.AddRange(await SessionSync.SyncAsync(d, db, erase: false, _ => new SyncProgress(p => resumes = Math.Max(resumes, p.Resumes))));
                    break;
                }
                catch (LinkLostException)
                {
                    // A drop between exchanges the sync does not retry by itself: the user runs it again.
                }
            }
            _out.WriteLine($"{drops} drops armed, {d.Client.Health.Disconnects} disconnects seen, {resumes} resumes in the last download, {_flash.Bytes.Length} bytes");
            Assert.Equal(200, drops);
            Assert.True(d.Client.Health.Disconnects >= 190, $"only {d.Client.Health.Disconnects} disconnects happened");
            SyncedSession s = Assert.Single(synced);
            Assert.Equal(_flash.Bytes, db.RawSession(s.DatabaseId));
            Assert.Single(db.ListSessions());

            // Once more, with a quiet link: stored once, not twice.
            host.Link.DropAfter(-1);
            var again = await SessionSync.SyncAsync(d, db, erase: false);
            Assert.False(Assert.Single(again).New);
            Assert.Single(db.ListSessions());
            // And the device was told it may let go of it.
            Assert.True((Assert.Single(await d.Client.ListSessionsAsync()).Flags & SessionEntry.FlagDownloaded) != 0);
        }

        private sealed class SyncProgress : IProgress<DownloadProgress>
        {
            private readonly Action<DownloadProgress> _report;
            public SyncProgress(Action<DownloadProgress> report) => _report = report;
            public void Report(DownloadProgress value) => _report(value);
        }
    }
}
