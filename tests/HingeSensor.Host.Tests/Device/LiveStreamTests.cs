using HingeSensor.TestSupport;
using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>The live stream through the ATT model: its rate per MTU, and every lost frame accounted for.</summary>
    public class LiveStreamTests
    {
        private readonly ITestOutputHelper _out;

        public LiveStreamTests(ITestOutputHelper output) => _out = output;

        private sealed record Stream(LiveFrame[] Frames, double DeviceSeconds, LinkHealth Health, LiveStreamerCounts Device);

        private sealed record LiveStreamerCounts(int Sent, int DroppedPackets);

        private static async Task<Stream> WatchAsync(int mtu, double deviceSeconds, AttLinkSettings? link = null)
        {
            using var dir = new TempDir();
            // Slow but for the calibration (its requests reach the device at their moments of the script).
            using VirtualDeviceHost host = VirtualBench.StartDevice(dir.File("flash"), VirtualBench.HandshakeSpeed, link);
            await using DeviceConnection d = await VirtualBench.ConnectAsync(host, mtu, live: false);
            // Calibrated, so the metrics mean something; then watch from the first frame on.
            await VirtualBench.CalibrateAsync(host, d.Client);
            var frames = new ConcurrentQueue<LiveFrame>();
            d.Client.LiveFrameReceived += frames.Enqueue;
            await d.Client.Link.SubscribeAsync(GattIds.Live, CancellationToken.None);
            host.Speed = 0; // then as fast as the machine goes: the link model keeps device time
            double start = host.TimeS;
            host.WaitForDeviceTime(start + deviceSeconds, TimeSpan.FromMinutes(1));
            await d.Client.Link.DisconnectAsync();
            var list = frames.ToArray();
            return new Stream(list, (list[^1].TimeMs - list[0].TimeMs) / 1000.0, d.Client.Health, new LiveStreamerCounts(host.Rig.Core.Live.Sent, host.Rig.Core.Live.Dropped));
        }

        private static readonly int LiveRateHz = new DeviceConfig().LiveRateHz;

        private static bool IsIdentity(Quaternion q) => q.W == 1 && q.X == 0 && q.Y == 0 && q.Z == 0;

        private static bool IsUnit(Quaternion q) => Math.Abs(q.W * q.W + q.X * q.X + q.Y * q.Y + q.Z * q.Z - 1) < 1e-3;

        [Theory]
        [InlineData(185)]
        [InlineData(247)]
        public async Task At_MTU_185_and_up_the_stream_carries_the_live_rate_with_three_orientations(int mtu)
        {
            Stream s = await WatchAsync(mtu, 30);
            double rate = (s.Frames.Length - 1) / s.DeviceSeconds;
            _out.WriteLine($"MTU {mtu}: {s.Frames.Length} frames over {s.DeviceSeconds:0.00} s of device time = {rate:0.0} frames/s, {s.Health.Notifications} notifications, gaps {s.Health.Gaps}");
            Assert.True(rate >= LiveRateHz - 0.5, $"{rate:0.0} frames/s");
            Assert.Equal(0, s.Health.Gaps);
            Assert.All(s.Frames, f => Assert.True(IsUnit(f.Head) && IsUnit(f.UpperBack) && IsUnit(f.Sacrum), $"frame {f.Sequence} lacks orientations"));
            Assert.True(s.Frames.Count(f => !IsIdentity(f.UpperBack)) > s.Frames.Length * 0.99, "orientations are placeholders");
            // Consecutive sequence numbers: nothing lost, nothing repeated.
            Assert.All(s.Frames.Zip(s.Frames.Skip(1)), p => Assert.Equal((p.First.Sequence + 1) & 0xFFFF, p.Second.Sequence));
        }

        [Fact]
        public async Task At_MTU_23_the_stream_keeps_its_rate_with_compact_frames_without_orientations()
        {
            Stream s = await WatchAsync(23, 30);
            double rate = (s.Frames.Length - 1) / s.DeviceSeconds;
            _out.WriteLine($"MTU 23: {s.Frames.Length} frames = {rate:0.0} frames/s in {s.Health.Notifications} notifications, gaps {s.Health.Gaps}");
            Assert.True(rate >= LiveRateHz - 0.5, $"{rate:0.0} frames/s");
            Assert.Equal(0, s.Health.Gaps);
            // The documented reduction: metrics only, no orientations (they do not fit 20 bytes).
            Assert.All(s.Frames, f => Assert.True(IsIdentity(f.Head) && IsIdentity(f.UpperBack) && IsIdentity(f.Sacrum)));
            Assert.Contains(s.Frames, f => f.TorsoDeg > 30); // the metrics are real: the wearer hinges
        }

        [Fact]
        public async Task A_link_too_slow_for_the_stream_loses_frames_and_every_lost_frame_is_counted()
        {
            // MTU 23 and one packet every 60 ms: 17 notifications/s for 25 frames/s.
            var slow = new AttLinkSettings { ConnectionIntervalMs = 60, PacketsPerEvent = 1 };
            Stream s = await WatchAsync(23, 20, slow);
            long span = ((s.Frames[^1].Sequence - s.Frames[0].Sequence) & 0xFFFF) + 1;
            _out.WriteLine($"slow link: span {span} seq {s.Frames[0].Sequence}..{s.Frames[^1].Sequence}, {s.Frames.Length} frames arrived, {s.Health.Gaps} gaps, {s.Health.LostFrames} frames lost; device dropped {s.Device.DroppedPackets} packets");
            Assert.True(s.Health.Gaps > 0);
            Assert.Equal(span, s.Frames.Length + s.Health.LostFrames); // arrived + counted lost = all the device numbered
            Assert.True(s.Device.DroppedPackets >= s.Health.LostFrames - 1); // the device knows it dropped them too
        }
    }
}
