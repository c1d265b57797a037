using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Live;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// Control notifications — responses and events — mutated from messages encoded as protocol
    /// §6-§7 and §10.2 lay them out, into the client: unsolicited, and as the answers to the
    /// requests whose payload the host reads (a session list page, a calibration's outcome, a
    /// refused config's field, any result code). Goal: an event reaches the host's screens only
    /// with its documented length and fields within their enumerations; an answer is taken only
    /// within its section, or refused with the protocol's exception (InvalidDataException for a
    /// page, DeviceRequestException for a result, InvalidOperationException for an outcome); no
    /// handler throws.
    /// </summary>
    public class ControlMessageFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public ControlMessageFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Message(params object[] fields)
        {
            var w = new ByteWriter(new byte[64]);
            foreach (object f in fields)
            {
                switch (f)
                {
                    case byte b: w.U8(b); break;
                    case ushort u: w.U16(u); break;
                    case uint v: w.U32(v); break;
                    case short s: w.I16(s); break;
                    case byte[] bytes: w.Bytes(bytes, 0, bytes.Length); break;
                }
            }
            return w.Buffer[..w.Position];
        }

        private static readonly byte[] Tag = Enumerable.Range(1, SessionFormat.DigestTagBytes).Select(i => (byte)i).ToArray();

        /// <summary>Every event of §7, and responses no request waits for.</summary>
        private static readonly byte[][] Unsolicited =
        {
            Message((byte)0xF1, (byte)DeviceEvent.CalibrationDone, (byte)2, (byte)0, (byte)0xFF, (byte)200, (byte)180, (byte)250, (short)6400),
            Message((byte)0xF1, (byte)DeviceEvent.CalibrationDone, (byte)1, (byte)CalibrationStatus.MovedDuringNeutral, (byte)1, (byte)0, (byte)0, (byte)0, (short)0),
            Message((byte)0xF1, (byte)DeviceEvent.DownloadDone, (ushort)3, 9824u, Tag),
            Message((byte)0xF1, (byte)DeviceEvent.RecordingStopped, (ushort)3, (byte)2),
            Message((byte)0xF1, (byte)DeviceEvent.SensorHealth, (byte)2, (byte)SensorState.Retrying),
            Message((byte)0xF1, (byte)DeviceEvent.Alignment, (byte)1, (byte)2, 123_456u, (short)2150),
            Message((byte)0xF1, (byte)DeviceEvent.Alignment, (byte)4, (byte)1, 124_000u, (short)-310),
            Message((byte)0xF1, (byte)DeviceEvent.DownloadFailed, (ushort)3, 2048u, (byte)ResultCode.NotFound),
            Message((byte)0xF1, (byte)DeviceEvent.Cue, (byte)2, (byte)4, 125_000u, (short)31),
            Message((byte)0xF0, (byte)Opcode.StartRecording, (byte)77, (byte)ResultCode.Success, (ushort)3),
            Message((byte)0xF0, (byte)Opcode.WriteConfig, (byte)78, (byte)ResultCode.InvalidParameter, (byte)ConfigField.ChinDropDeg),
        };

        /// <summary>Payload length and the fields' ranges of each event, as §7 gives them; null when the payload is one.</summary>
        internal static string? EventViolation(DeviceEvent kind, byte[] p)
        {
            int expected = kind switch
            {
                DeviceEvent.CalibrationDone => 8, DeviceEvent.DownloadDone => 18, DeviceEvent.RecordingStopped => 3,
                DeviceEvent.SensorHealth => 2, DeviceEvent.Alignment => 8, DeviceEvent.DownloadFailed => 7, DeviceEvent.Cue => 8, _ => -1,
            };
            if (expected < 0) return $"event kind {(int)kind}";
            if (p.Length != expected) return $"{kind} with {p.Length} bytes (§7: {expected})";
            return kind switch
            {
                DeviceEvent.CalibrationDone when p[0] is < 1 or > 3 => $"CalibrationDone step {p[0]}",
                DeviceEvent.CalibrationDone when !Enum.IsDefined(typeof(CalibrationStatus), (int)p[1]) => $"CalibrationDone status {p[1]}",
                DeviceEvent.CalibrationDone when p[2] is > 2 and < 0xFF => $"CalibrationDone segment {p[2]}",
                DeviceEvent.RecordingStopped when p[2] is < 1 or > 3 => $"RecordingStopped reason {p[2]}",
                DeviceEvent.SensorHealth when p[0] > 2 || p[1] > 3 => $"SensorHealth segment {p[0]} state {p[1]}",
                DeviceEvent.Alignment when p[0] is < 1 or > 4 || p[1] is < 1 or > 3 => $"Alignment kind {p[0]} fault {p[1]}",
                DeviceEvent.DownloadFailed when !Enum.IsDefined(typeof(ResultCode), (int)p[6]) => $"DownloadFailed result {p[6]}",
                DeviceEvent.Cue when p[0] is < 1 or > 5 => $"Cue {p[0]}",
                _ => null,
            };
        }

        [Fact]
        public void Mutated_events_and_stray_responses_reach_the_screens_only_within_the_protocol()
        {
            int cases = CampaignScale.Size(20_000, 400_000);
            var mutator = new Mutator(2600);
            var tally = new FuzzTally("control-events");
            var link = new FuzzLink();
            var delivered = new List<DeviceEventMessage>();
            link.Client.EventReceived += e => delivered.Add(e);
            for (int i = 0; i < cases; i++)
            {
                Mutation m = mutator.Next(Unsolicited[i % Unsolicited.Length], i, Unsolicited[(i + 5) % Unsolicited.Length]);
                tally.Run(() => $"{mutator.Reproduce(i)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", () =>
                {
                    delivered.Clear();
                    link.Deliver(GattIds.Control, m.Bytes);
                    if (link.HandlerExceptions.Count > 0) throw new InvalidProgramException("the client's control handler threw: " + link.HandlerExceptions[0]);
                    if (delivered.Count == 0) return null;
                    DeviceEventMessage e = delivered.Single();
                    LiveState.Describe(e); // what `hinge live` announces: must not throw
                    return EventViolation(e.Kind, e.Payload) ?? "";
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static byte[] Page(bool compact, int total, int first, int n)
        {
            var w = new ByteWriter(new byte[5 + n * SessionEntry.EncodedLength]);
            w.U16(total);
            w.U16(first);
            w.U8(n | (compact ? 0x80 : 0));
            for (int k = 0; k < n; k++)
            {
                var e = new SessionEntry { Id = first + k + 1, StartUnixMs = 1_764_000_000_000 + k, Length = 9824 + k, Uid = 0x1234_5678_9ABC_DEF0 + k, Flags = 3, DurationS = 392 };
                if (compact) e.WriteCompact(ref w); else e.Write(ref w);
            }
            return w.Buffer[..w.Position];
        }

        /// <summary>A page's structure as §10.2 gives it, for a list asked from <paramref name="asked"/>; null when it is one.</summary>
        private static string? PageViolation(byte[] p, int asked)
        {
            if (p.Length < 5) return $"a page of {p.Length} bytes";
            int first = p[2] | (p[3] << 8), n = p[4] & 0x7F, size = (p[4] & 0x80) != 0 ? SessionEntry.CompactLength : SessionEntry.EncodedLength;
            if (first != asked) return $"a page from {first}, asked from {asked}";
            if (n > 8) return $"{n} entries in a page";
            return p.Length == 5 + n * size ? null : $"{n} entries in {p.Length} bytes";
        }

        /// <summary>
        /// The response [F0 opcode id][result and payload] to a request, cut to MTU − 3 as the
        /// stack cuts it. A response cut to its header is dropped as short: the device then answers
        /// again, with a refusal, so that the request does not wait out its timeout.
        /// </summary>
        private static IEnumerable<(string, byte[])> Answered(byte[] request, byte[] resultAndPayload, int mtu)
        {
            byte[] response = new byte[] { 0xF0, request[0], request[1] }.Concat(resultAndPayload).ToArray();
            yield return (GattIds.Control, response[..Math.Min(response.Length, mtu - GattIds.AttNotifyOverhead)]);
            if (resultAndPayload.Length == 0) yield return (GattIds.Control, new byte[] { 0xF0, request[0], request[1], (byte)ResultCode.InvalidState });
        }

        [Fact]
        public async Task Mutated_answers_are_taken_within_the_protocol_or_refused_with_its_exception()
        {
            int cases = CampaignScale.Size(6_000, 200_000);
            var mutator = new Mutator(6800);
            var tally = new FuzzTally("control-responses", typeof(InvalidDataException), typeof(DeviceRequestException), typeof(InvalidOperationException), typeof(HingeSensor.Host.Link.NotPairedException));
            var link = new FuzzLink();
            byte[][] pages = { Page(false, 3, 0, 3), Page(true, 9, 0, 8), Page(false, 0, 0, 0), Page(false, 8, 0, 5) };
            byte[] calibrationDone = Message((byte)2, (byte)0, (byte)0xFF, (byte)200, (byte)180, (byte)250, (short)6400);
            // What the device says after the mutated event, so that a refused one does not leave the request waiting.
            byte[] sentinel = Message((byte)0xF1, (byte)DeviceEvent.CalibrationDone, (byte)2, (byte)0, (byte)0xFF, (byte)17, (byte)17, (byte)17, (short)0);
            var opcodes = Enum.GetValues<Opcode>();
            for (int i = 0; i < cases; i++)
            {
                int index = i;
                switch (i % 4)
                {
                    case 0:
                    case 1:
                        {
                            // A session list page: [result][page], the result byte mutated with it.
                            byte[] valid = new[] { (byte)ResultCode.Success }.Concat(pages[i / 4 % pages.Length]).ToArray();
                            Mutation m = mutator.Next(valid, i);
                            link.Answer = request => Answered(request, request[2] == 0 && request[3] == 0 ? m.Bytes : new byte[] { 0, 0, 0, request[2], request[3], 0 }, link.Mtu);
                            await tally.RunAsync(() => $"list page, {mutator.Reproduce(index)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                            {
                                IReadOnlyList<SessionEntry> entries = await link.Client.ListSessionsAsync();
                                byte[] got = m.Bytes[..Math.Min(m.Bytes.Length, link.Mtu - GattIds.AttNotifyOverhead - 3)];
                                // Success or Accepted: both say "done" (§6.8); the page is what is judged.
                                if (got.Length == 0 || got[0] is not ((byte)ResultCode.Success or (byte)ResultCode.Accepted)) return "a list answered with a refusal was taken";
                                return PageViolation(got[1..], 0) ?? (entries.Count == (got[5] & 0x7F) ? "" : $"{entries.Count} entries from a page of {got[5] & 0x7F}");
                            });
                            break;
                        }
                    case 2:
                        {
                            // A calibration's outcome, as `hinge calibrate hinge` reads it.
                            Mutation m = mutator.Next(calibrationDone, i);
                            link.Answer = request => new[]
                            {
                                (GattIds.Control, new byte[] { 0xF0, request[0], request[1], (byte)ResultCode.Accepted }),
                                (GattIds.Control, new byte[] { 0xF1, (byte)DeviceEvent.CalibrationDone }.Concat(m.Bytes).ToArray()),
                                (GattIds.Control, sentinel),
                            };
                            await tally.RunAsync(() => $"calibration outcome, {mutator.Reproduce(index)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                            {
                                CalibrationResult r = await DeviceActions.CalibrateAsync(link.Client, CalibrationStep.Hinge, CancellationToken.None);
                                if (r.Outcome.Quality[0] == 17 / 255.0) return null; // the mutated event was not taken: the next one was
                                if (string.IsNullOrWhiteSpace(r.Message)) return "no words for the outcome";
                                return EventViolation(DeviceEvent.CalibrationDone, m.Bytes) ?? (r.Outcome.Step == CalibrationStep.Hinge ? "" : $"the outcome of step {r.Outcome.Step} taken for the hinge");
                            });
                            break;
                        }
                    default:
                        {
                            // Any request answered with any result and payload: the refusal must be a sentence.
                            Opcode op = opcodes[i / 4 % opcodes.Length];
                            byte[] valid = op == Opcode.WriteConfig ? new[] { (byte)ResultCode.InvalidParameter, (byte)ConfigField.HeadUpDeg } : new[] { (byte)ResultCode.Success };
                            Mutation m = mutator.Next(valid, i);
                            link.Answer = request => Answered(request, m.Bytes, link.Mtu);
                            await tally.RunAsync(() => $"answer to {op}, {mutator.Reproduce(index)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                            {
                                try
                                {
                                    if (op == Opcode.WriteConfig) await link.Client.WriteConfigAsync(new DeviceConfig());
                                    else await link.Client.RequireAsync(op);
                                }
                                catch (DeviceRequestException e)
                                {
                                    if (string.IsNullOrWhiteSpace(e.Message) || e.Message.Contains("{")) return $"a refusal without words: '{e.Message}'";
                                    throw;
                                }
                                return m.Bytes.Length > 0 && m.Bytes[0] is (byte)ResultCode.Success or (byte)ResultCode.Accepted ? "" : "a refusal taken as done";
                            });
                            break;
                        }
                }
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }
    }
}
