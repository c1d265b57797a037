using HingeSensor.TestSupport;
using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// Notifications that are not what the protocol says: each kind is counted under its name,
    /// reported, and the connection carries on — live frames keep coming, requests keep working.
    /// </summary>
    [Collection(RecordedFlashCollection.Name)]
    public class MalformedNotificationTests
    {
        private readonly RecordedFlash _flash;

        public MalformedNotificationTests(RecordedFlash flash) => _flash = flash;

        private sealed class Rig : IAsyncDisposable
        {
            public readonly TempDir Dir = new();
            public VirtualDeviceHost Host = null!;
            public TamperingLink Link = null!;
            public DeviceConnection Device = null!;
            public readonly System.Collections.Concurrent.ConcurrentQueue<(MalformedKind, string)> Reported = new();

            public static async Task<Rig> StartAsync(RecordedFlash flash, int mtu = 185)
            {
                var r = new Rig();
                r.Host = VirtualBench.StartDevice(flash.Copy(r.Dir), speed: 5);
                r.Link = new TamperingLink(new VirtualDeviceLink(r.Host, mtu));
                r.Device = await DeviceConnection.OpenAsync(r.Link, live: true, CancellationToken.None, r.Host, "virtual");
                r.Device.Client.MalformedReceived += (k, where) => r.Reported.Enqueue((k, where));
                await r.FramesArriveAsync();
                return r;
            }

            /// <summary>Live frames are still arriving and a request still gets its answer.</summary>
            public async Task FramesArriveAsync()
            {
                long before = Device.Client.Health.Frames;
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (Device.Client.Health.Frames < before + 20 && sw.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);
                Assert.True(Device.Client.Health.Frames >= before + 20, "live frames stopped");
                await Device.Client.ReadStatusAsync();
                Assert.NotEmpty(await Device.Client.ListSessionsAsync());
            }

            public long Count(MalformedKind k) => Device.Client.Health.Malformed(k);

            public async ValueTask DisposeAsync()
            {
                await Device.DisposeAsync();
                Host.Dispose();
                Dir.Dispose();
            }
        }

        [Fact]
        public async Task Short_notifications_are_counted_and_the_link_carries_on()
        {
            await using Rig r = await Rig.StartAsync(_flash);
            r.Link.Inject(GattIds.Live, new byte[] { LivePacket.KindFull });
            r.Link.Inject(GattIds.Control, new byte[] { 0xF0 });
            r.Link.Inject(GattIds.Control, new byte[] { 0xF0, (byte)Opcode.ListSessions, 9 });
            r.Link.Inject(GattIds.SessionData, new byte[] { 1, 0, 0 });
            Assert.Equal(4, r.Count(MalformedKind.Short));
            Assert.Equal(4, r.Reported.Count(x => x.Item1 == MalformedKind.Short));
            await r.FramesArriveAsync();
        }

        [Fact]
        public async Task Oversized_notifications_are_counted_and_the_link_carries_on()
        {
            await using Rig r = await Rig.StartAsync(_flash, mtu: 185);
            // One byte more than MTU − 3: no BLE stack would deliver it from this link.
            r.Link.Inject(GattIds.Live, new byte[185 - 3 + 1]);
            r.Link.Inject(GattIds.SessionData, new byte[400]);
            Assert.Equal(2, r.Count(MalformedKind.Oversized));
            await r.FramesArriveAsync();
        }

        [Fact]
        public async Task A_session_chunk_with_a_bad_CRC_is_counted_and_fetched_again_and_the_download_is_exact()
        {
            await using Rig r = await Rig.StartAsync(_flash);
            SessionEntry e = (await r.Device.Client.ListSessionsAsync()).Single(s => s.Id == _flash.SessionId);
            // Three downloads, each with one bit flipped in the first notification at or past a
            // point in the file (10 %, 50 %, 90 %): that chunk's CRC no longer matches.
            foreach (double at in new[] { 0.1, 0.5, 0.9 })
            {
                int target = (int)(e.Length * at);
                int armed = 1;
                r.Link.Tamper = (uuid, v) =>
                {
                    if (uuid.Equals(GattIds.SessionData, StringComparison.OrdinalIgnoreCase) && v.Length > 6
                        && BitConverter.ToInt32(v, 2) + v.Length - 6 > target && Interlocked.Exchange(ref armed, 0) == 1)
                    {
                        var bad = (byte[])v.Clone();
                        bad[6 + Math.Max(0, target - BitConverter.ToInt32(v, 2))] ^= 0x10;
                        return new[] { bad };
                    }
                    return new[] { v };
                };
                byte[] bytes = (await r.Device.Client.DownloadAsync(e)).Bytes;
                Assert.Equal(0, armed);
                Assert.Equal(_flash.Bytes, bytes);
            }
            Assert.Equal(3, r.Count(MalformedKind.BadCrc));
            Assert.Contains(r.Reported, x => x.Item1 == MalformedKind.BadCrc && x.Item2.Contains("fails its check"));
            r.Link.Tamper = null;
            await r.FramesArriveAsync();
        }

        [Fact]
        public async Task Unknown_opcodes_and_message_types_are_counted_and_the_link_carries_on()
        {
            await using Rig r = await Rig.StartAsync(_flash);
            r.Link.Inject(GattIds.Control, new byte[] { 0xF0, 0x7E, 200, 0 });       // a response to an opcode that does not exist
            r.Link.Inject(GattIds.Control, new byte[] { 0xF0, (byte)Opcode.ListSessions, 201, 0 }); // a response to a request never made
            r.Link.Inject(GattIds.Control, new byte[] { 0x42, 0x01, 0x02 });         // a message type that does not exist
            r.Link.Inject(GattIds.Control, new byte[] { 0xF1, 0xEE, 0x00 });         // an event kind that does not exist
            Assert.Equal(4, r.Count(MalformedKind.UnknownOpcode));
            await r.FramesArriveAsync();
        }

        [Fact]
        public async Task A_response_with_a_waiting_id_but_another_opcode_is_not_taken_as_its_answer()
        {
            await using Rig r = await Rig.StartAsync(_flash);
            int faked = 0;
            r.Link.Tamper = (uuid, v) =>
            {
                if (uuid.Equals(GattIds.Control, StringComparison.OrdinalIgnoreCase) && v.Length >= 4 && v[0] == 0xF0
                    && v[1] == (byte)Opcode.ListSessions && Interlocked.Exchange(ref faked, 1) == 0)
                {
                    // Ahead of the real answer: the same id, another opcode, no payload.
                    return new[] { new byte[] { 0xF0, (byte)Opcode.Identify, v[2], 0 }, v };
                }
                return new[] { v };
            };
            var sessions = await r.Device.Client.ListSessionsAsync();
            Assert.Equal(1, faked);
            Assert.NotEmpty(sessions); // the real answer, not the empty fake
            Assert.Equal(1, r.Count(MalformedKind.UnknownOpcode));
            Assert.Contains(r.Reported, x => x.Item1 == MalformedKind.UnknownOpcode && x.Item2.Contains("was ListSessions"));
            r.Link.Tamper = null;
            await r.FramesArriveAsync();
        }

        [Fact]
        public async Task Live_frames_out_of_order_are_counted_not_shown_and_do_not_fake_a_gap()
        {
            await using Rig r = await Rig.StartAsync(_flash);
            byte[]? kept = null;
            int count = 0;
            var replayed = new TaskCompletionSource();
            r.Link.Tamper = (uuid, v) =>
            {
                if (!uuid.Equals(GattIds.Live, StringComparison.OrdinalIgnoreCase)) return new[] { v };
                count++;
                if (count == 5) kept = v;                                  // remember one
                if (count == 10 && kept != null) { replayed.TrySetResult(); return new[] { v, kept, v }; } // replay it late, and repeat the current one
                return new[] { v };
            };
            long gapsBefore = r.Device.Client.Health.Gaps;
            var shown = new System.Collections.Concurrent.ConcurrentQueue<int>();
            r.Device.Client.LiveFrameReceived += f => shown.Enqueue(f.Sequence);
            await replayed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            r.Link.Tamper = null;
            await r.FramesArriveAsync();
            int framesPerPacket = kept![1];
            Assert.True(framesPerPacket <= LivePacket.MaxFramesPerPacket, $"kind {kept[0]} count {kept[1]} length {kept.Length}");
            Assert.Equal(2 * framesPerPacket, r.Count(MalformedKind.OutOfOrder)); // the old packet's frames and the repeat's
            Assert.True(gapsBefore == r.Device.Client.Health.Gaps, $"gaps {gapsBefore} → {r.Device.Client.Health.Gaps}; device dropped {r.Host.Rig.Core.Live.Dropped} live packets, sent {r.Host.Rig.Core.Live.Sent} frames; host frames {r.Device.Client.Health.Frames}");
            int[] seen = shown.ToArray(); // frames keep arriving: judge one snapshot
            Assert.Equal(seen.Length, seen.Distinct().Count()); // nothing shown twice
        }
    }
}
