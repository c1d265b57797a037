using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// Live notifications mutated from packets our encoder wrote: full and compact frames, one to
    /// four per packet. Goal: LivePacket.Read takes a packet only when it is one (a known kind, 1-4
    /// frames, exactly their bytes) and every frame within protocol §8 (phase 0-3, faults only bits
    /// 1-3, valid only bits 0-2), read from its own place (encoding the frames again gives the
    /// bytes read, but for Q15's −32768, which reads as −1.00003 and is written −32767); the client
    /// shows exactly those frames or counts the packet malformed.
    /// </summary>
    public class LivePacketFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public LivePacketFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Packet(int kind, int count, Random rng)
        {
            var b = new byte[LivePacket.HeaderBytes + count * LivePacket.FrameBytes(kind)];
            int at = LivePacket.WriteHeader(b, 0, kind, count);
            for (int i = 0; i < count; i++)
            {
                Quaternion Q() => Quaternion.FromAxisAngle(new Vector3((float)rng.NextDouble() - 0.5f, (float)rng.NextDouble() - 0.5f, (float)rng.NextDouble()).Normalized(), (float)rng.NextDouble() * 3f);
                var f = new LiveFrame
                {
                    Sequence = (1000 + i) & 0xFFFF, TimeMs = (uint)(123_000 + 40 * i), Head = Q(), UpperBack = Q(), Sacrum = Q(),
                    TrunkFlexionDeg = 25.5f + i, HeadFlexionDeg = -12.25f, HingeDeg = 61f, TorsoDeg = 88.8f, DowelGapCm = 3.4f,
                    Phase = i % 4, FaultMask = (2 << (i % 3)) & 0x0E, ValidMask = 7 - i % 2, RepCount = 255 - i,
                };
                at = LivePacket.WriteFrame(b, at, kind, ref f);
            }
            return b;
        }

        private static List<byte[]> ValidPackets()
        {
            var rng = new Random(3);
            var list = new List<byte[]>();
            for (int n = 1; n <= LivePacket.MaxFramesPerPacket; n++)
            {
                list.Add(Packet(LivePacket.KindFull, n, rng));
                list.Add(Packet(LivePacket.KindCompact, n, rng));
            }
            return list;
        }

        [Fact]
        public async Task Mutated_live_packets_are_shown_as_sent_or_counted_malformed()
        {
            int cases = CampaignScale.Size(20_000, 400_000);
            List<byte[]> valid = ValidPackets();
            var mutator = new Mutator(6502);
            var tally = new FuzzTally("live-packet");
            var link = new FuzzLink();
            var shown = new List<LiveFrame>();
            link.Client.LiveFrameReceived += f => shown.Add(f);
            var frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
            for (int i = 0; i < cases; i++)
            {
                Mutation m = mutator.Next(valid[i % valid.Count], i, valid[(i + 3) % valid.Count]);
                await tally.RunAsync(() => $"{mutator.Reproduce(i)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                {
                    int n = LivePacket.Read(m.Bytes, 0, m.Bytes.Length, frames);
                    // Through the client, as the live view gets it: a new connection each time (the
                    // client forgets the last sequence), so sequence numbers are not the question here.
                    shown.Clear();
                    await link.Client.ConnectAsync(live: true, default);
                    long malformed = link.Client.Health.MalformedTotal;
                    link.Deliver(GattIds.Live, m.Bytes);
                    if (link.HandlerExceptions.Count > 0) throw new InvalidProgramException("the client's live handler threw: " + link.HandlerExceptions[0]);
                    if (n < 0) return shown.Count == 0 && link.Client.Health.MalformedTotal == malformed + 1 ? null : "the decoder refused it, the client did not";
                    // Within the packet, a frame whose sequence repeats or goes back is dropped (§8.5).
                    int last = -1, expected = 0;
                    for (int f = 0; f < n; f++)
                    {
                        int step = (frames[f].Sequence - last) & 0xFFFF;
                        if (last >= 0 && (step == 0 || step > 0x8000)) continue;
                        if (shown.Count <= expected || shown[expected].Sequence != frames[f].Sequence) return $"frame {f} (sequence {frames[f].Sequence}) not shown as read";
                        expected++;
                        last = frames[f].Sequence;
                    }
                    if (shown.Count != expected) return $"the client showed {shown.Count} frames of {expected}";
                    return Within(m.Bytes, frames, n);
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        /// <summary>"" when <paramref name="n"/> frames read from <paramref name="packet"/> make a packet of §8 and were read from their own places.</summary>
        private static string Within(byte[] packet, LiveFrame[] frames, int n)
        {
            int kind = packet[0];
            if (kind != LivePacket.KindFull && kind != LivePacket.KindCompact) return $"kind {kind}";
            if (n < 1 || n > LivePacket.MaxFramesPerPacket || packet[1] != n || packet.Length != LivePacket.HeaderBytes + n * LivePacket.FrameBytes(kind))
                return $"{n} frames taken from a packet of {packet.Length} bytes saying {packet[1]}";
            var again = new byte[packet.Length];
            int at = LivePacket.WriteHeader(again, 0, kind, n);
            for (int i = 0; i < n; i++)
            {
                LiveFrame f = frames[i];
                if (f.Phase > 3) return $"frame {i}: phase {f.Phase}";
                if ((f.FaultMask & ~0x0E) != 0) return $"frame {i}: fault mask 0x{f.FaultMask:x2}";
                if ((f.ValidMask & ~7) != 0) return $"frame {i}: valid mask 0x{f.ValidMask:x2}";
                at = LivePacket.WriteFrame(again, at, kind, ref f);
            }
            for (int k = 0; k < packet.Length; k++)
            {
                if (again[k] == packet[k]) continue;
                // Q15 −32768 (00 80) reads as −1.00003 and is written back as −32767 (01 80).
                int inFrame = (k - LivePacket.HeaderBytes) % LivePacket.FullFrameBytes;
                bool q15 = kind == LivePacket.KindFull && inFrame >= 6 && inFrame < 30 && (inFrame - 6) % 2 == 0
                    && packet[k] == 0x00 && packet[k + 1] == 0x80 && again[k] == 0x01 && again[k + 1] == 0x80;
                if (!q15) return $"byte {k} read as 0x{packet[k]:x2}, written back as 0x{again[k]:x2}";
                k++;
            }
            return "";
        }
    }
}
