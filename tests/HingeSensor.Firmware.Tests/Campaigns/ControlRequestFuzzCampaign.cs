using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// Mutated control-point requests of every opcode, written to a running device as its link
    /// delivers writes — one to three per 10 ms loop pass, while the wearer moves and a session is
    /// there to list, download, mark and erase. Goal: nothing escapes the core, every write is
    /// answered, nothing invalid is applied (every WriteConfig answered Success is a record within
    /// protocol §9.2, read by an oracle of its own; the config in force and on flash is always
    /// that of the last accepted write), and afterwards the device still samples and answers.
    /// </summary>
    public class ControlRequestFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public ControlRequestFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Config(Action<DeviceConfig> set)
        {
            var c = new DeviceConfig();
            set(c);
            var b = new byte[DeviceConfig.MaxEncodedLength];
            return b[..c.Encode(b, 0)];
        }

        /// <summary>A valid request of every opcode, made by our own encoders (WriteConfig several times: it is the richest decoder).</summary>
        private static List<byte[]> ValidRequests(byte[] tag)
        {
            var parameters = new List<(Opcode, byte[])>
            {
                (Opcode.Identify, Array.Empty<byte>()),
                (Opcode.SetTime, TestLink.I64(1_764_000_000_000)),
                (Opcode.CalibrateNeutral, Array.Empty<byte>()),
                (Opcode.CalibrateHinge, Array.Empty<byte>()),
                (Opcode.CalibrateRange, Array.Empty<byte>()),
                (Opcode.StartRecording, Array.Empty<byte>()),
                (Opcode.StopRecording, Array.Empty<byte>()),
                (Opcode.ListSessions, TestLink.U16(0)),
                (Opcode.Download, TestLink.U16(1).Concat(TestLink.U32(0)).ToArray()),
                (Opcode.AbortDownload, Array.Empty<byte>()),
                (Opcode.MarkDownloaded, TestLink.MarkParams(1, tag)),
                (Opcode.EraseSession, TestLink.EraseParams(1, false, tag)),
                (Opcode.ResetConfig, Array.Empty<byte>()),
                (Opcode.WriteConfig, Config(c => { })),
                (Opcode.WriteConfig, Config(c => { c.Flags = DeviceConfig.FlagQuiet | DeviceConfig.FlagRangePercent; c.ChinDropTenthsDeg = 900; c.GateCloseTenthsDeg = 299; c.DeviceName = "X"; })),
                (Opcode.WriteConfig, Config(c => { c.PersistenceMs = 5000; c.RecordRateHz = 1; c.LiveRateHz = 5; c.HeightCm = 250; c.DeviceName = "Coach of twenty char"; })),
            };
            return parameters.Select(p => new[] { (byte)p.Item1, (byte)0x40 }.Concat(p.Item2).ToArray()).ToList();
        }

        private static byte[] Encoded(DeviceConfig c)
        {
            var b = new byte[DeviceConfig.MaxEncodedLength];
            return b[..c.Encode(b, 0)];
        }

        [Fact]
        public void Mutated_requests_of_every_opcode_never_stop_the_device_and_apply_nothing_invalid()
        {
            int cases = Campaign.Size(10_000, 200_000);
            var rig = new VirtualRig(Scenarios.Workout(reps: 2), 43);
            rig.Boot();
            var link = new TestLink(rig);
            link.RunTo(0.5);
            link.Request(Opcode.StartRecording);
            link.RunTo(3.5);
            link.Request(Opcode.StopRecording);
            Assert.True(link.RunUntil(() => rig.Core.Sessions.Find(1)!.DigestState == SessionInfo.DigestReady, 30));
            List<byte[]> valid = ValidRequests(link.StoredTag(1));

            var mutator = new Mutator(90210);
            var tally = new FuzzTally("control-requests");
            byte[] expectedConfig = Encoded(rig.Core.Config);
            int samplesBefore = rig.Core.Samples, passes = 0, unanswered = 0, acceptedConfigs = 0;
            for (int i = 0; i < cases;)
            {
                // One to three writes in a loop pass: some find the queue busy.
                int k = Math.Min(cases - i, 1 + i % 3);
                var step = new List<(Mutation M, int Index, byte[] Tag, TestLink.Response? Answer)>();
                int lostBefore = rig.Core.Control.Lost;
                for (int j = 0; j < k; j++, i++)
                {
                    byte[] request = (byte[])valid[i % valid.Count].Clone();
                    request[1] = (byte)i; // request ids as a host numbers them
                    Mutation m = mutator.Next(request, i, valid[(i * 7 + 3) % valid.Count]);
                    byte[] tag = TagOfTarget(rig, link, m.Bytes);
                    tally.Count();
                    int before = link.Responses.Count;
                    try { rig.Core.OnControlWrite(m.Bytes, m.Bytes.Length); }
                    catch (Exception e) { tally.Crash(Describe(mutator, i, m), "the write: " + e); }
                    // A refusal is answered at once, from the write; the rest in the next loop pass, in order.
                    link.Drain();
                    step.Add((m, i, tag, link.Responses.Count > before ? link.Responses[^1] : null));
                }
                int responsesBefore = link.Responses.Count;
                passes++;
                try { link.RunTo(rig.TimeS + 0.01); }
                catch (Exception e)
                {
                    tally.Crash(Describe(mutator, i - 1, step[^1].M), "the loop pass after it: " + e);
                    break;
                }
                var answers = link.Responses.Skip(responsesBefore).ToList();
                bool lost = rig.Core.Control.Lost != lostBefore;
                foreach (var (m, index, tag, immediate) in step)
                {
                    byte[] w = m.Bytes;
                    int opcode = w.Length > 0 ? w[0] : 0, id = w.Length > 1 ? w[1] : 0;
                    TestLink.Response? r = immediate ?? answers.FirstOrDefault(a => a.Opcode == opcode && a.Id == id);
                    if (r == null)
                    {
                        if (lost) continue; // the queue was full: counted in the status, as the protocol says
                        unanswered++;
                        tally.Crash(Describe(mutator, index, m), "no answer (and none lost)");
                        continue;
                    }
                    if (r.Opcode != opcode || r.Id != id) tally.Crash(Describe(mutator, index, m), $"answered as opcode 0x{r.Opcode:x2} id {r.Id}");
                    answers.Remove(r);
                    if (r.Result is not (ResultCode.Success or ResultCode.Accepted)) tally.Refusal();
                    // InternalError: taken, but the flash refused to keep it (§9.2).
                    bool taken = r.Result is ResultCode.Success or ResultCode.InternalError;
                    string? corrupt = r.Result is ResultCode.Success or ResultCode.Accepted || (taken && opcode == (int)Opcode.WriteConfig) ? Applied(w, tag) : null;
                    if (corrupt != null) tally.Corrupt(Describe(mutator, index, m), corrupt);
                    if (taken && opcode == (int)Opcode.WriteConfig)
                    {
                        expectedConfig = w[2..];
                        acceptedConfigs++;
                    }
                    if (taken && opcode == (int)Opcode.ResetConfig) expectedConfig = Encoded(new DeviceConfig());
                }
                // Nothing but an accepted write changes the config in force.
                if (!Encoded(rig.Core.Config).AsSpan().SequenceEqual(expectedConfig))
                {
                    tally.Corrupt(Describe(mutator, i - 1, step[^1].M), "the config in force is not the last one accepted");
                    expectedConfig = Encoded(rig.Core.Config);
                }
            }

            // After the storm: still sampling, still answering, the config on flash the one in force.
            link.RunTo(rig.TimeS + 0.5);
            Assert.True(rig.Core.Samples - samplesBefore >= passes, $"{rig.Core.Samples - samplesBefore} samples in {passes} loop passes and 0.5 s after: the device stopped sampling");
            Assert.Equal(ResultCode.Success, link.Request(Opcode.AbortDownload).Result);
            TestLink.Response list = link.Request(Opcode.ListSessions, TestLink.U16(0));
            Assert.Equal(ResultCode.Success, list.Result);
            Assert.Equal(rig.Core.Sessions.Count, list.Payload[0] | (list.Payload[1] << 8));
            Assert.Equal(ResultCode.Success, link.Request(Opcode.WriteConfig, Config(c => c.DeviceName = "After the storm")).Result);
            Assert.Equal("After the storm", rig.Core.Config.DeviceName);
            var stored = new DeviceConfig();
            new ConfigStore(rig.Files, "/hinge/").Load(stored);
            Assert.Equal(Encoded(rig.Core.Config), Encoded(stored));

            _out.WriteLine(tally.Summary + $" accepted_configs={acceptedConfigs} unanswered={unanswered}");
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
            Assert.True(acceptedConfigs > 0 && tally.Refused > cases / 2, $"{acceptedConfigs} configs accepted, {tally.Refused} refused: the mutations do not reach both ways");
        }

        /// <summary>Null when a request the device carried out was one it may carry out; else what was wrong with it.</summary>
        private static string? Applied(byte[] w, byte[] tag)
        {
            int parameters = w.Length - 2;
            switch ((Opcode)w[0])
            {
                case Opcode.WriteConfig:
                    return ConfigRecordLimits.Violation(w.AsSpan(2));
                case Opcode.SetTime:
                    if (parameters != 8) return $"time set from {parameters} bytes";
                    long ms = BitConverter.ToInt64(w, 2);
                    return ms >= 1_577_836_800_000 && ms < 4_102_444_800_000 ? null : $"time {ms} set";
                case Opcode.MarkDownloaded:
                    if (parameters != 2 + SessionFormat.DigestTagBytes) return $"marked from {parameters} bytes";
                    return w.AsSpan(4).SequenceEqual(tag) ? null : "marked with a digest tag that is not the session's";
                case Opcode.EraseSession:
                    if (parameters != 3 + SessionFormat.DigestTagBytes) return $"erased from {parameters} bytes";
                    return w[4] != 0 || w.AsSpan(5).SequenceEqual(tag) ? null : "erased, not forced, with a digest tag that is not the session's";
                default:
                    int expect = Nano.Core.Ble.ControlPoint.ParameterLength(w[0]);
                    return expect == parameters ? null : $"{(Opcode)w[0]} carried out with {parameters} parameter bytes (it takes {expect})";
            }
        }

        /// <summary>The digest tag of the session a MarkDownloaded or EraseSession write names, as a host holding it would send it (empty if none).</summary>
        private static byte[] TagOfTarget(VirtualRig rig, TestLink link, byte[] w)
        {
            if (w.Length < 4 || (w[0] != (byte)Opcode.MarkDownloaded && w[0] != (byte)Opcode.EraseSession)) return Array.Empty<byte>();
            SessionInfo? s = rig.Core.Sessions.Find(w[2] | (w[3] << 8));
            return s == null || s.Recording ? Array.Empty<byte>() : link.StoredTag(s.Id);
        }

        private static string Describe(Mutator mutator, int index, Mutation m) =>
            $"{mutator.Reproduce(index)}: {m.Description} → {Convert.ToHexString(m.Bytes)}";
    }
}
