using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// Every length and offset a device states on the download path, set to what a hostile or
    /// broken device might say — −2³¹, −1, 0, one short, one past, the protocol's 16 MiB and one
    /// more, 2³¹−1 — in the list entry (full and compact pages), in DownloadDone, in a SessionData
    /// packet's offset, in DownloadFailed, and in the resumed bytes the host offers itself.
    /// SessionChainTests has −1, 2³¹−1 and 16 MiB + 1 in a full list entry through `device
    /// download`; these are the rest. Goal: the session downloads byte for byte when the hostile
    /// value can be set aside (a packet or an event dropped), or fails naming the session and the
    /// value — never another exception, never an allocation for a length past the protocol.
    /// </summary>
    public class HostileLengthCampaign
    {
        private readonly ITestOutputHelper _out;

        public HostileLengthCampaign(ITestOutputHelper output) => _out = output;

        private static readonly int[] Hostile = { int.MinValue, -1, 0, 1, SessionFormat.Overhead - 1, SessionFormat.MaxSessionBytes + 1, int.MaxValue };

        /// <summary>What the scripted device says differently from the truth.</summary>
        private sealed record Script(string Name, bool Compact = false, int? ListedLength = null, int? DoneLength = null, bool ThenTrueDone = false,
            int? PacketOffset = null, int? FailedOffset = null, int ResumeExtra = 0);

        private static IEnumerable<Script> Scripts(int fileLength)
        {
            foreach (int v in Hostile.Concat(new[] { SessionFormat.Overhead, SessionFormat.MaxSessionBytes }))
            {
                yield return new Script($"listed length {v}", ListedLength: v);
                yield return new Script($"listed length {v} in a compact page", Compact: true, ListedLength: v);
            }
            foreach (int v in Hostile.Concat(new[] { fileLength - 1, fileLength + 1 }))
                yield return new Script($"DownloadDone length {v}", DoneLength: v, ThenTrueDone: v < 0 || v > fileLength);
            foreach (int v in new[] { int.MinValue, -1, fileLength, fileLength - 3, int.MaxValue, int.MaxValue - 5 })
                yield return new Script($"a SessionData packet at offset {v}", PacketOffset: v);
            foreach (int v in new[] { int.MinValue, -1, 0, int.MaxValue })
                yield return new Script($"DownloadFailed at offset {v}", FailedOffset: v);
            yield return new Script("resumed bytes one longer than the session", ResumeExtra: 1);
            yield return new Script("resumed bytes 1 MiB longer than the session", ResumeExtra: 1 << 20);
        }

        [Fact]
        public async Task Hostile_lengths_and_offsets_on_the_download_path_fail_by_name_or_are_set_aside()
        {
            byte[] file = SessionDecodeFuzzCampaign.Recorded();
            byte[] tag = SHA256.HashData(file)[..SessionFormat.DigestTagBytes];
            var tally = new FuzzTally("hostile-lengths", typeof(SessionDownloadException), typeof(DeviceRequestException));
            foreach (Script script in Scripts(file.Length))
            {
                var link = new FuzzLink(script.Compact ? GattIds.MinimumMtu : 185);
                link.Answer = request => Answer(request, script, file, tag, link.Mtu);
                await tally.RunAsync(() => script.Name, async () =>
                {
                    SessionEntry entry = (await link.Client.ListSessionsAsync()).Single();
                    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a download that never ends is the failure this guards
                    long allocated = GC.GetTotalAllocatedBytes(precise: false);
                    byte[]? resume = script.ResumeExtra > 0 ? new byte[file.Length + script.ResumeExtra] : null;
                    DownloadedSession got;
                    try { got = await link.Client.DownloadAsync(entry, null, patience.Token, resume); }
                    catch (Exception e) when (e is SessionDownloadException || e is DeviceRequestException)
                    {
                        long used = GC.GetTotalAllocatedBytes(precise: false) - allocated;
                        if (used > 256L << 20) return $"{used >> 20} MiB allocated before failing";
                        if (!e.Message.Contains("session 1")) return $"a failure that does not name the session: '{e.Message}'";
                        string stated = (script.ListedLength ?? script.DoneLength ?? script.FailedOffset)?.ToString() ?? "";
                        if (script.ListedLength is int l && (l < SessionFormat.Overhead || l > SessionFormat.MaxSessionBytes) && !e.Message.Contains(stated)) return $"a failure that does not say the length {stated}: '{e.Message}'";
                        return null;
                    }
                    if (script.ListedLength is int listed && listed != file.Length) return $"a session listed at {listed} bytes was taken";
                    if (script.DoneLength is int done && !script.ThenTrueDone) return $"a DownloadDone of {done} bytes was taken";
                    return got.Bytes.AsSpan().SequenceEqual(file) && got.DeviceDigestTag!.AsSpan().SequenceEqual(tag) ? "" : "other bytes than the device's";
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static byte[] Control(byte first, byte second, params byte[][] parts) => new[] { first, second }.Concat(parts.SelectMany(p => p)).ToArray();

        private static byte[] I32(int v) => BitConverter.GetBytes(v);

        /// <summary>The scripted device's answers: a list of one session, and a download of it with the script's lie in it.</summary>
        private static IEnumerable<(string, byte[])> Answer(byte[] request, Script script, byte[] file, byte[] tag, int mtu)
        {
            var op = (Opcode)request[0];
            byte id = request[1];
            if (op == Opcode.ListSessions)
            {
                int length = script.ListedLength ?? file.Length;
                int first = request[2] | (request[3] << 8);
                var entry = new SessionEntry { Id = 1, StartUnixMs = 1_764_000_000_000, Length = length, Uid = 77, Flags = SessionEntry.FlagClosed, DurationS = 20 };
                var w = new ByteWriter(new byte[64]);
                w.U16(1);
                w.U16(first);
                w.U8(first > 0 ? 0 : 1 | (script.Compact ? 0x80 : 0));
                if (first == 0)
                {
                    if (script.Compact) entry.WriteCompact(ref w);
                    else entry.Write(ref w);
                }
                yield return (GattIds.Control, Control(0xF0, (byte)op, new[] { id, (byte)ResultCode.Success }, w.Buffer[..w.Position]));
                yield break;
            }
            if (op != Opcode.Download)
            {
                yield return (GattIds.Control, Control(0xF0, (byte)op, new[] { id, (byte)ResultCode.Success }));
                yield break;
            }
            int from = BitConverter.ToInt32(request, 4);
            yield return (GattIds.Control, Control(0xF0, (byte)op, new[] { id, (byte)ResultCode.Accepted }));
            int room = mtu - GattIds.AttNotifyOverhead - 6;
            for (int at = from; at < file.Length; at += room)
            {
                if (script.FailedOffset is int failedAt && at >= file.Length / 2)
                {
                    yield return (GattIds.Control, Control(0xF1, (byte)DeviceEvent.DownloadFailed, new byte[] { 1, 0 }, I32(failedAt), new[] { (byte)ResultCode.NotFound }));
                    yield break;
                }
                if (script.PacketOffset is int hostile && at == from)
                    yield return (GattIds.SessionData, Data(hostile, file.AsSpan(at, Math.Min(room, file.Length - at)).ToArray()));
                yield return (GattIds.SessionData, Data(at, file.AsSpan(at, Math.Min(room, file.Length - at)).ToArray()));
            }
            if (script.DoneLength is int stated) yield return (GattIds.Control, Done(stated, tag));
            if (script.DoneLength == null || script.ThenTrueDone) yield return (GattIds.Control, Done(file.Length, tag));
        }

        private static byte[] Data(int offset, byte[] bytes) => new byte[] { 1, 0 }.Concat(I32(offset)).Concat(bytes).ToArray();

        private static byte[] Done(int length, byte[] tag) => Control(0xF1, (byte)DeviceEvent.DownloadDone, new byte[] { 1, 0 }, I32(length), tag);
    }
}
