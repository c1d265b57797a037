using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using static HingeSensor.Web.Tests.Codec.VectorSet;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>Control point vectors: every request the host can send, read back by the device's decoder; every answer and event, made by the device's encoders.</summary>
    internal static partial class GoldenVectors
    {
        private static byte[] Request(Opcode op, int id, Action<ByteWriter>? parameters = null)
        {
            var b = new byte[64];
            var w = new ByteWriter(b);
            w.U8((int)op);
            w.U8(id);
            parameters?.Invoke(w);
            return b[..w.Position];
        }

        private static readonly byte[] SomeTag = Convert.FromHexString("1f7e00c84ad8c7a4e36df42b");
        private static readonly byte[] MaxTag = Enumerable.Repeat((byte)0xFF, SessionFormat.DigestTagBytes).ToArray();

        /// <summary>
        /// A request run by the device: it must be taken (answered <paramref name="expected"/>), and
        /// the vector expects what the device read from it (<paramref name="readBack"/>), not what
        /// the test meant to send.
        /// </summary>
        private static void RequestVector(VectorSet set, string name, byte[] request, ResultCode expected, Func<DeviceRig, List<byte[]>, JsonObject>? readBack = null, Action<DeviceRig>? before = null)
        {
            var rig = new DeviceRig();
            before?.Invoke(rig);
            List<byte[]> answers = rig.Request(request);
            byte[] answer = answers.Single(a => a[0] == (byte)ControlMessage.Response);
            if (answer[3] != (byte)expected) throw new InvalidOperationException($"{name}: the device answered {(ResultCode)answer[3]}, not {expected}");
            var expect = new JsonObject { ["opcode"] = answer[1], ["id"] = answer[2] };
            if (readBack != null) foreach (var (k, v) in readBack(rig, answers).ToList()) expect[k] = v?.DeepClone();
            set.Add("request", name, request, expect);
        }

        private static void Requests(VectorSet set)
        {
            RequestVector(set, "request Identify", Request(Opcode.Identify, 1), ResultCode.Success);
            foreach (long unixMs in new[] { 1736933400000L, 1577836800000L /* 2020-01-01, the earliest taken */, 4102444799999L /* the last ms before 2100 */ })
                RequestVector(set, $"request SetTime {unixMs}", Request(Opcode.SetTime, 5, w => w.I64(unixMs)), ResultCode.Success,
                    (rig, _) => new JsonObject { ["unixMs"] = Big(rig.Clock.UnixMs) });
            RequestVector(set, "request CalibrateNeutral", Request(Opcode.CalibrateNeutral, 2), ResultCode.Accepted, Capturing(CalibrationStep.Neutral));
            RequestVector(set, "request CalibrateHinge", Request(Opcode.CalibrateHinge, 3), ResultCode.Accepted, Capturing(CalibrationStep.Hinge));
            RequestVector(set, "request CalibrateRange", Request(Opcode.CalibrateRange, 4), ResultCode.Accepted, Capturing(CalibrationStep.Range),
                rig => { foreach (var s in rig.Tracker.Calibration.Segments) { s.HasNeutral = true; s.HasHinge = true; } });
            RequestVector(set, "request StartRecording", Request(Opcode.StartRecording, 7), ResultCode.Success);
            RequestVector(set, "request StopRecording", Request(Opcode.StopRecording, 8), ResultCode.Success, before: rig => rig.Recording.Running = true);
            foreach (int first in new[] { 0, 8, 0xFFFF })
                RequestVector(set, $"request ListSessions from {first}", Request(Opcode.ListSessions, 9, w => w.U16(first)), ResultCode.Success,
                    (_, answers) => new JsonObject { ["first"] = answers[0][6] | (answers[0][7] << 8) });
            foreach (var (session, offset) in new[] { (1, 0u), (1, 238u), (0xFFFF, (uint)SessionFormat.MaxSessionBytes), (2, 0xFFFFFFFFu) })
                RequestVector(set, $"request Download {session} from {offset}", Request(Opcode.Download, 10, w => { w.U16(session); w.U32(offset); }), ResultCode.Accepted,
                    (rig, _) => new JsonObject { ["session"] = rig.Downloads.LastId, ["offset"] = (uint)rig.Downloads.LastOffset });
            RequestVector(set, "request AbortDownload", Request(Opcode.AbortDownload, 11), ResultCode.Success);
            foreach (var (session, tag) in new[] { (1, SomeTag), (0xFFFF, MaxTag) })
                RequestVector(set, $"request MarkDownloaded {session}", Request(Opcode.MarkDownloaded, 12, w => { w.U16(session); w.Bytes(tag, 0, tag.Length); }), ResultCode.Success,
                    (rig, _) => new JsonObject { ["session"] = rig.Sessions.LastId, ["tag"] = Bytes(rig.Sessions.LastTag) });
            foreach (var (session, force, tag) in new[] { (1, false, SomeTag), (300, true, new byte[SessionFormat.DigestTagBytes]) })
                RequestVector(set, $"request EraseSession {session} force {force}", Request(Opcode.EraseSession, 0xFF, w => { w.U16(session); w.U8(force ? 1 : 0); w.Bytes(tag, 0, tag.Length); }), ResultCode.Success,
                    (rig, _) => new JsonObject { ["session"] = rig.Sessions.LastId, ["force"] = rig.Sessions.LastForce, ["tag"] = Bytes(rig.Sessions.LastTag) });
            foreach (var (name, config) in Configs())
            {
                byte[] record = Encode(config);
                RequestVector(set, $"request WriteConfig {name}", Request(Opcode.WriteConfig, 0, w => w.Bytes(record, 0, record.Length)), ResultCode.Success, (rig, _) =>
                {
                    var read = new DeviceConfig();
                    DeviceConfig.Decode(rig.Configuration.LastRecord!, 0, rig.Configuration.LastRecord!.Length, read);
                    return new JsonObject { ["config"] = Config(read) };
                });
            }
            RequestVector(set, "request ResetConfig", Request(Opcode.ResetConfig, 13), ResultCode.Success);
        }

        private static Func<DeviceRig, List<byte[]>, JsonObject> Capturing(CalibrationStep step) => (rig, _) =>
            rig.Tracker.Capturing == step ? new JsonObject() : throw new InvalidOperationException($"the device is capturing {rig.Tracker.Capturing}, not {step}");

        /// <summary>The answer the device queued for a request (the last Control response), as a vector with what the protocol says its payload means.</summary>
        private static void Answer(VectorSet set, string name, DeviceRig rig, byte[] request, ResultCode expected, bool secure = true, Func<DeviceRig, byte[], JsonObject>? typed = null)
        {
            byte[] answer = rig.Request(request, secure).Last(a => a[0] == (byte)ControlMessage.Response);
            if (answer[3] != (byte)expected) throw new InvalidOperationException($"{name}: the device answered {(ResultCode)answer[3]}, not {expected}");
            var expect = new JsonObject
            {
                ["message"] = "response", ["opcode"] = answer[1], ["id"] = answer[2], ["result"] = answer[3], ["payload"] = Bytes(answer[4..]),
            };
            if (typed != null) foreach (var (k, v) in typed(rig, answer[4..]).ToList()) expect[k] = v?.DeepClone();
            set.Add("control", name, answer, expect);
        }

        private static void Responses(VectorSet set)
        {
            Answer(set, "response Identify Success", new DeviceRig(), Request(Opcode.Identify, 1), ResultCode.Success);
            Answer(set, "response SetTime Success", new DeviceRig(), Request(Opcode.SetTime, 2, w => w.I64(1736933400000L)), ResultCode.Success);
            Answer(set, "response SetTime InvalidParameter (1999)", new DeviceRig(), Request(Opcode.SetTime, 3, w => w.I64(946684800000L)), ResultCode.InvalidParameter);
            foreach (var (op, id) in new[] { (Opcode.CalibrateNeutral, 4), (Opcode.CalibrateHinge, 5) })
                Answer(set, $"response {op} Accepted", new DeviceRig(), Request(op, id), ResultCode.Accepted);
            var busy = new DeviceRig();
            busy.Request(Request(Opcode.CalibrateNeutral, 6));
            Answer(set, "response CalibrateHinge Busy (a capture is running)", busy, Request(Opcode.CalibrateHinge, 7), ResultCode.Busy);
            Answer(set, "response CalibrateRange NotCalibrated", new DeviceRig(), Request(Opcode.CalibrateRange, 8), ResultCode.NotCalibrated);
            foreach (int session in new[] { 1, 0xFFFF })
            {
                var rig = new DeviceRig();
                rig.Recording.Id = session;
                Answer(set, $"response StartRecording Success session {session}", rig, Request(Opcode.StartRecording, 9), ResultCode.Success,
                    typed: (r, _) => new JsonObject { ["sessionId"] = r.Recording.Id });
            }
            var full = new DeviceRig();
            full.Recording.StartResult = ResultCode.StorageFull;
            Answer(set, "response StartRecording StorageFull", full, Request(Opcode.StartRecording, 10), ResultCode.StorageFull);
            var failing = new DeviceRig();
            failing.Recording.StartResult = ResultCode.InternalError;
            Answer(set, "response StartRecording InternalError", failing, Request(Opcode.StartRecording, 11), ResultCode.InternalError);
            Answer(set, "response StopRecording InvalidState (idle)", new DeviceRig(), Request(Opcode.StopRecording, 12), ResultCode.InvalidState);
            var recording = new DeviceRig();
            recording.Recording.Running = true;
            Answer(set, "response StopRecording Success", recording, Request(Opcode.StopRecording, 13), ResultCode.Success);
            foreach (ResultCode r in new[] { ResultCode.Accepted, ResultCode.NotFound, ResultCode.InvalidParameter })
            {
                var rig = new DeviceRig();
                rig.Downloads.Result = r;
                Answer(set, $"response Download {r}", rig, Request(Opcode.Download, 14, w => { w.U16(1); w.U32(0); }), r);
            }
            Answer(set, "response AbortDownload Success", new DeviceRig(), Request(Opcode.AbortDownload, 15), ResultCode.Success);
            foreach (ResultCode r in new[] { ResultCode.Success, ResultCode.NotFound, ResultCode.InvalidState, ResultCode.DigestMismatch, ResultCode.InternalError })
            {
                var rig = new DeviceRig();
                rig.Sessions.Result = r;
                Answer(set, $"response MarkDownloaded {r}", rig, Request(Opcode.MarkDownloaded, 16, w => { w.U16(1); w.Bytes(SomeTag, 0, 12); }), r);
            }
            foreach (ResultCode r in new[] { ResultCode.Success, ResultCode.NotDownloaded, ResultCode.DigestMismatch })
            {
                var rig = new DeviceRig();
                rig.Sessions.Result = r;
                Answer(set, $"response EraseSession {r}", rig, Request(Opcode.EraseSession, 17, w => { w.U16(1); w.U8(0); w.Bytes(SomeTag, 0, 12); }), r);
            }
            var downloading = new DeviceRig();
            downloading.Request(Request(Opcode.Download, 18, w => { w.U16(2); w.U32(0); }));
            Answer(set, "response EraseSession InvalidState (being downloaded)", downloading, Request(Opcode.EraseSession, 19, w => { w.U16(2); w.U8(1); w.Bytes(new byte[12], 0, 12); }), ResultCode.InvalidState);
            byte[] record = Encode(new DeviceConfig());
            Answer(set, "response WriteConfig Success", new DeviceRig(), Request(Opcode.WriteConfig, 20, w => w.Bytes(record, 0, record.Length)), ResultCode.Success);
            var unsaved = new DeviceRig();
            unsaved.Configuration.SaveFails = true;
            Answer(set, "response WriteConfig InternalError", unsaved, Request(Opcode.WriteConfig, 21, w => w.Bytes(record, 0, record.Length)), ResultCode.InternalError);
            foreach (var ((field, bad), i) in InvalidConfigs().Select((c, i) => (c, i)).Where(c => c.c.Bytes.Length >= DeviceConfig.MinEncodedLength && c.c.Bytes.Length <= DeviceConfig.MaxEncodedLength))
            {
                Answer(set, $"response WriteConfig InvalidParameter {field} (record {i})", new DeviceRig(), Request(Opcode.WriteConfig, 22, w => w.Bytes(bad, 0, bad.Length)), ResultCode.InvalidParameter,
                    typed: (_, payload) => new JsonObject { ["field"] = (int)DeviceConfig.Decode(bad, 0, bad.Length, new DeviceConfig()) });
            }
            Answer(set, "response ResetConfig Success", new DeviceRig(), Request(Opcode.ResetConfig, 23), ResultCode.Success);
            Answer(set, "response ResetConfig InternalError", unsaved, Request(Opcode.ResetConfig, 24), ResultCode.InternalError);
            // The control point's own refusals, before anything runs (§6.4).
            Answer(set, "response UnknownOpcode 0x7f", new DeviceRig(), new byte[] { 0x7F, 25 }, ResultCode.UnknownOpcode);
            Answer(set, "response InvalidLength ListSessions with 1 byte", new DeviceRig(), new byte[] { 0x30, 26, 0 }, ResultCode.InvalidLength);
            Answer(set, "response InsufficientSecurity (not paired)", new DeviceRig(), Request(Opcode.ListSessions, 27, w => w.U16(0)), ResultCode.InsufficientSecurity, secure: false);
            ListPages(set);
        }

        /// <summary>Session list pages at each kind of MTU, as RequestDispatcher writes them (full from MTU 39, compact below).</summary>
        private static void ListPages(VectorSet set)
        {
            List<SessionInfo> sessions = ListedSessions();
            foreach (var (mtu, first) in new[] { (247, 0), (247, 8), (247, sessions.Count), (185, 0), (39, 3), (38, 0), (23, 9) })
            {
                var rig = new DeviceRig(mtu);
                rig.Sessions.List.AddRange(sessions);
                Answer(set, $"response ListSessions from {first} at MTU {mtu}", rig, Request(Opcode.ListSessions, 40, w => w.U16(first)), ResultCode.Success,
                    typed: (_, payload) => new JsonObject { ["page"] = Page(payload, sessions, first) });
            }
        }

        // What the page says, from the device's own list (SessionInfo.ToEntry), entry by entry.
        private static JsonObject Page(byte[] payload, List<SessionInfo> sessions, int first)
        {
            bool compact = (payload[4] & 0x80) != 0;
            int n = payload[4] & 0x7F;
            var entries = new JsonArray();
            foreach (SessionInfo s in sessions.Skip(first).Take(n))
            {
                SessionEntry e = s.ToEntry();
                entries.Add(compact
                    ? new JsonObject { ["id"] = e.Id, ["length"] = e.Length, ["flags"] = e.Flags }
                    : new JsonObject { ["id"] = e.Id, ["startUnixMs"] = Big(e.StartUnixMs), ["length"] = e.Length, ["uid"] = BigUnsigned(e.Uid), ["flags"] = e.Flags, ["durationS"] = e.DurationS });
            }
            return new JsonObject { ["total"] = sessions.Count, ["first"] = first, ["compact"] = compact, ["entries"] = entries };
        }

        /// <summary>Ten sessions with the edges of each entry field: ids 1 and 65535, no start time and a far one, the longest file, identities 0 and all ones, every flag, the longest duration.</summary>
        private static List<SessionInfo> ListedSessions()
        {
            var list = new List<SessionInfo>();
            for (int i = 0; i < 10; i++)
            {
                var s = new SessionInfo
                {
                    Id = i == 9 ? 0xFFFF : i + 1,
                    StartUnixMs = i == 0 ? 0 : i == 9 ? long.MaxValue : 1736933400020L + i * 60_000L,
                    Length = i == 9 ? SessionFormat.MaxSessionBytes : 562 + 100 * i,
                    Uid = i == 0 ? 0 : i == 9 ? -1 : unchecked((long)0x9387688a6a25d95fUL) + i,
                    Flags = i % 2 == 0 ? SessionEntry.FlagClosed : SessionEntry.FlagClosed | SessionEntry.FlagDownloaded | SessionEntry.FlagRecovered | SessionEntry.FlagDamaged,
                    DigestState = i == 3 ? SessionInfo.DigestPending : SessionInfo.DigestReady,
                    FrameRateHz = i == 9 ? 1 : 25,
                    LastFrameIndex = i == 9 ? long.MaxValue / 2 : 25 * (i + 1) - 1,
                };
                if (i == 4) s.Flags |= SessionEntry.FlagRecording;
                list.Add(s);
            }
            return list;
        }

        private static void Events(VectorSet set)
        {
            var rig = new DeviceRig();
            void Take(string name, JsonObject fields)
            {
                byte[] b = rig.Drain().Single();
                var expect = new JsonObject { ["message"] = "event", ["event"] = b[1] };
                foreach (var (k, v) in fields.ToList()) expect[k] = v?.DeepClone();
                set.Add("control", name, b, expect);
            }

            foreach (CoachingCue cue in Enum.GetValues<CoachingCue>().Where(c => c != CoachingCue.None))
            {
                foreach (var (rep, timeMs, value) in new[] { (1, 12_345u, 92.5f), (0, 0u, -1.25f), (255, uint.MaxValue, 400f) })
                {
                    rig.Events.Cue(new CoachingCueEvent { Cue = cue, Rep = rep, Value = value }, timeMs);
                    Take($"event Cue {cue} rep {rep} value {value}", new JsonObject
                    {
                        ["cue"] = (int)cue, ["rep"] = rep, ["timeMs"] = timeMs, ["valueHundredths"] = ByteWriter.CentidegreesOf(value),
                    });
                }
            }
            foreach (AlignmentEventKind kind in Enum.GetValues<AlignmentEventKind>())
            {
                foreach (Fault fault in new[] { Fault.BackRounding, Fault.ChinDrop, Fault.HeadUp })
                {
                    float peak = fault == Fault.HeadUp ? -12.34f : 25.5f + (int)kind;
                    uint time = kind == AlignmentEventKind.Ended ? uint.MaxValue : 123456u * (uint)kind;
                    rig.Events.Alignment(new AlignmentEvent { Kind = kind, Fault = fault, PeakDeg = peak }, time);
                    Take($"event Alignment {kind} {fault}", new JsonObject
                    {
                        ["kind"] = (int)kind, ["fault"] = (int)fault, ["timeMs"] = time, ["peakCdeg"] = ByteWriter.CentidegreesOf(peak),
                    });
                }
            }
            foreach (CalibrationStatus status in Enum.GetValues<CalibrationStatus>())
            {
                var step = (CalibrationStep)(1 + (int)status % 3);
                var report = new CalibrationReport { Step = step, Status = status, FailedSegment = status == CalibrationStatus.Ok ? -1 : (int)status % 3 };
                float[] quality = { 0f, 0.5f, 1f };
                quality.CopyTo(report.SegmentQuality, 0);
                float range = status == CalibrationStatus.Ok ? 0f : -45.67f + (int)status;
                rig.Events.CalibrationDone(report, range);
                Take($"event CalibrationDone {step} {status}", new JsonObject
                {
                    ["step"] = (int)step, ["status"] = (int)status, ["failedSegment"] = report.FailedSegment,
                    // HostEvents' own scaling of a quality 0–1 to a byte.
                    ["quality"] = Ints(quality.Select(q => (int)(byte)(int)(q * 255f))),
                    ["rangeTrunkFlexionCdeg"] = ByteWriter.CentidegreesOf(range),
                });
            }
            for (int segment = 0; segment < 3; segment++)
            {
                foreach (SensorState state in Enum.GetValues<SensorState>())
                {
                    rig.Events.SensorHealth(segment, state);
                    Take($"event SensorHealth {segment} {state}", new JsonObject { ["segment"] = segment, ["state"] = (int)state });
                }
            }
            foreach (var (session, reason) in new[] { (1, StopReason.StorageFull), (2, StopReason.Requested), (0xFFFF, StopReason.Error) })
            {
                rig.Events.RecordingStopped(session, reason);
                Take($"event RecordingStopped {session} {reason}", new JsonObject { ["session"] = session, ["reason"] = (int)reason });
            }
        }
    }
}
