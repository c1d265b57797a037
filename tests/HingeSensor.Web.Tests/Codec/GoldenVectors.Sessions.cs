using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;
using static HingeSensor.Web.Tests.Codec.VectorSet;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// Session files recorded by the firmware's SessionRecorder on the flash model, sent by its
    /// DownloadPump, and read by the host's DecodedSession; plus the older records (format 1,
    /// 28-byte reps) the recorder no longer writes, laid out with the C# ByteWriter and sealed
    /// with SessionFormat.Seal, and damaged copies.
    /// </summary>
    internal static partial class GoldenVectors
    {
        /// <summary>A session recorded on its own flash, still in its store (for downloads).</summary>
        internal sealed class Recorded
        {
            public required FlashModel Flash;
            public required SessionStore Store;
            public required SessionInfo Session;
            public required SessionHeader Header;
            public byte[] File => Read(Store, Session);
        }

        private static byte[] Read(SessionStore store, SessionInfo s)
        {
            var b = new byte[s.Length];
            store.Read(s, 0, b, 0, b.Length);
            return b;
        }

        private sealed class FixedRandom : IRandomSource
        {
            private readonly long _value;
            public FixedRandom(long value) { _value = value; }
            public int Next(int maxExclusive) => 0;
            public void Fill(byte[] buffer, int offset, int count) { for (int i = 0; i < count; i++) buffer[offset + i] = (byte)(_value >> (8 * (i % 8))); }
        }

        private static SessionHeader WorkoutHeader()
        {
            var h = new SessionHeader
            {
                DeviceSerial = "HS1-000042-ABCDE", FirmwareMajor = 1, FirmwareMinor = 2, FirmwarePatch = 255,
                StartUnixMs = 1736933400020, StartDeviceMs = uint.MaxValue - 5, FrameRateHz = 5,
            };
            h.Config.CopyFrom(Configs().First(c => c.Name == "highest").Config);
            BodyCalibration cal = h.Calibration;
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                c.HasNeutral = true;
                c.HasHinge = s != 2;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.6f, -0.8f, 0f), (20f + 35f * s) * (float)Math.PI / 180f);
                c.NeutralUp = new Vector3(0.1f * s, -0.28f, 0.96f).Normalized();
                c.NeutralSpreadDeg = 0.37f + s;
                c.HingePlanarity = 0.9876f - 0.1f * s;
                c.HingeAxisTiltDeg = -3.21f * (s + 1);
            }
            cal.HasRange = true;
            cal.RangeTrunkFlexionDeg = -12.5f;
            return h;
        }

        /// <summary>
        /// A workout at 5 Hz: frames whose validity changes (so chunks of each mask), angles at both
        /// ends of ±3276.7° and the largest jumps between them, an event of every kind, reps with the
        /// edges of each field, a second session stopped by full storage.
        /// </summary>
        internal static Recorded Workout(long identity = unchecked((long)0xFEDCBA9876543210UL))
        {
            var flash = new FlashModel(256 * 1024);
            var store = new SessionStore(flash, "/", new FixedRandom(identity));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            SessionHeader header = WorkoutHeader();
            SessionInfo session = recorder.Start(header, 0f) ?? throw new InvalidOperationException("the recorder refused to start");
            var m = new PostureMetrics();
            int frame = 0;
            void Frames(int valid, int count, Func<int, int, float> angle)
            {
                for (int i = 0; i < count; i++, frame++)
                {
                    m.ValidSegments = valid;
                    m.HeadSagittalDeg = angle(i, 0); m.HeadLateralDeg = angle(i, 1);
                    m.UpperBackSagittalDeg = angle(i, 2); m.UpperBackLateralDeg = angle(i, 3);
                    m.SacrumSagittalDeg = angle(i, 4); m.SacrumLateralDeg = angle(i, 5);
                    recorder.AddFrame(m);
                }
            }
            Frames(0, 3, (_, _) => 0f);
            Frames(7, 12, (i, k) => (k % 2 == 0 ? 1 : -1) * (0.05f * i * i + 1.3f * k) - 2.5f);
            Frames(7, 4, (i, k) => i % 2 == 0 ? 3276.7f : -4000f);       // saturating, and jumps of 6553.4°
            Frames(3, 6, (i, k) => -0.04f * i + k);
            Frames(4, 2, (i, k) => 45.55f * (k - 2.5f));
            foreach (AlignmentEventKind kind in Enum.GetValues<AlignmentEventKind>())
                recorder.AddEvent(SessionEventKind.Alignment, 1.5f * (int)kind, (int)kind, 1 + (int)kind % 3, kind == AlignmentEventKind.Ended ? -32768 : 1234 * (int)kind);
            recorder.AddEvent(SessionEventKind.Calibration, 0.25f, (int)CalibrationStep.Range, (int)CalibrationStatus.RangeTooShallow, 0);
            recorder.AddEvent(SessionEventKind.SensorHealth, 2f, 2, (int)SensorState.Retrying, 0);
            recorder.AddEvent(SessionEventKind.Phase, 2.2f, (int)RepPhase.Ascending, 0, 32767);
            foreach (CoachingCue cue in Enum.GetValues<CoachingCue>().Where(c => c != CoachingCue.None))
                recorder.AddEvent(SessionEventKind.Cue, 3f + (int)cue, (int)cue, 255 - (int)cue, 9250 - 3000 * (int)cue);
            Frames(2, 2, (i, k) => -1f * k);
            foreach (Rep rep in Reps()) recorder.AddRep(rep);
            Frames(5, 1, (_, _) => 0.1f);
            recorder.Stop(StopReason.Requested, 9.875f);
            while (session.DigestState == SessionInfo.DigestPending) store.Digester.Pump();
            return new Recorded { Flash = flash, Store = store, Session = session, Header = header };
        }

        /// <summary>Reps with each field at an edge: partial and counted, zero and a day long, the unknown sacrum drop, pelvis shares past 255 %, every pattern and lockout.</summary>
        private static IEnumerable<Rep> Reps()
        {
            yield return new Rep
            {
                Number = 0, Counted = false, StartS = 0f, EndS = 0.001f, DepthDeg = -0.5f, DescentS = 0f, BottomS = 0f, AscentS = 0f,
                MaxTrunkFlexionDeg = float.NaN, MaxHeadFlexionDeg = 0f, MinHeadFlexionDeg = -7.25f, MaxHingeAngleDeg = 0f,
                FaultMask = 0, Pattern = RepPattern.Unknown, Lockout = Lockout.Unknown, DepthReached = false, PelvisShare = float.NaN, SacrumDropCm = float.NaN,
            };
            yield return new Rep
            {
                Number = 1, Counted = true, StartS = 1.25f, EndS = 4.5f, DepthDeg = 88.88f, DescentS = 1.2f, BottomS = 0.35f, AscentS = 1.7f,
                MaxTrunkFlexionDeg = 21.5f, MaxHeadFlexionDeg = 16.25f, MinHeadFlexionDeg = -11f, MaxHingeAngleDeg = 64.5f,
                FaultMask = Faults.Bit(Fault.BackRounding) | Faults.Bit(Fault.ChinDrop), Pattern = RepPattern.Hinge, Lockout = Lockout.Ok,
                DepthReached = true, PelvisShare = 0.456f, SacrumDropCm = 12.3f,
            };
            yield return new Rep
            {
                Number = 65535, Counted = true, StartS = 86000f, EndS = 86400f, DepthDeg = 400f, DescentS = 65.535f, BottomS = 65f, AscentS = 0.0005f,
                MaxTrunkFlexionDeg = -400f, MaxHeadFlexionDeg = 327.67f, MinHeadFlexionDeg = -327.68f, MaxHingeAngleDeg = 120f,
                FaultMask = 14, Pattern = RepPattern.Stoop, Lockout = Lockout.OverExtension, DepthReached = false, PelvisShare = 3f, SacrumDropCm = -4000f,
            };
            yield return new Rep
            {
                Number = 7, Counted = true, StartS = 30f, EndS = 33.3f, DepthDeg = 60f, DescentS = 0.4f, BottomS = 0.1f, AscentS = 0.9f,
                MaxTrunkFlexionDeg = 5f, MaxHeadFlexionDeg = 2f, MinHeadFlexionDeg = -2f, MaxHingeAngleDeg = 30f,
                FaultMask = Faults.Bit(Fault.HeadUp), Pattern = RepPattern.Squat, Lockout = Lockout.Incomplete, DepthReached = true, PelvisShare = 2.55f, SacrumDropCm = -0.04f,
            };
        }

        /// <summary>The file of a session recorded with the defaults: the device before any setting or calibration (as §13's example).</summary>
        internal static Recorded Plain(StopReason stop)
        {
            var flash = new FlashModel(192 * 1024);
            var store = new SessionStore(flash, "/", new FixedRandom(1));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            var header = new SessionHeader { DeviceSerial = "", StartUnixMs = 0, StartDeviceMs = 0, FrameRateHz = 25 };
            SessionInfo session = recorder.Start(header, 0f) ?? throw new InvalidOperationException("the recorder refused to start");
            var m = new PostureMetrics { ValidSegments = 0 };
            for (int i = 0; i < 51; i++) recorder.AddFrame(m);
            recorder.Stop(stop, 2.01f);
            while (session.DigestState == SessionInfo.DigestPending) store.Digester.Pump();
            return new Recorded { Flash = flash, Store = store, Session = session, Header = header };
        }

        internal delegate void PayloadWriter(ByteWriter w);

        /// <summary>A chunk sealed by SessionFormat.Seal around a payload the ByteWriter lays out.</summary>
        internal static byte[] Chunk(int type, uint sequence, PayloadWriter write)
        {
            var b = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
            var w = new ByteWriter(b, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
            write(w);
            return b[..SessionFormat.Seal(b, type, w.Position - SessionFormat.HeaderBytes, sequence)];
        }

        internal static byte[] Chunk(int type, uint sequence, byte[] payload) => Chunk(type, sequence, w => w.Bytes(payload, 0, payload.Length));

        /// <summary>Firmware 1.0's session (format 1: no identity, calibration record 1, a version-1 config): hosts still read it.</summary>
        private static byte[] FormatOne() => Chunk(SessionFormat.ChunkHeader, 0, w =>
        {
            w.U8(1);
            w.U8(10);
            foreach (char c in "HS1-000042") w.U8(c);
            w.U8(1); w.U8(0); w.U8(0);
            w.U16(7);
            w.I64(1_760_000_000_000);
            w.U32(5000);
            w.U8(25);
            byte[] config = VersionOne(new DeviceConfig { HeightCm = 190, DeviceName = "Old" });
            w.U8(config.Length);
            w.Bytes(config, 0, config.Length);
            for (int seg = 0; seg < 3; seg++)
            {
                w.U8(seg == 1 ? 1 : 3);
                w.I16(32767); w.I16(0); w.I16(0); w.I16(0);
                w.I16(50 * seg - 50); w.U16(9500 + seg); w.I16(-120);
            }
            w.U8(0);
            w.I16(0);
        }).Concat(Chunk(SessionFormat.ChunkFrames, 1, w =>
        {
            w.U32(0); w.U8(2); w.U8(7);
            for (int i = 0; i < 6; i++) w.I16(100 * i - 250);
            for (int i = 0; i < 6; i++) w.VarInt(3 - i);
        })).Concat(RepChunk(2, 1, SessionRep.EncodedLengthV1)).Concat(Chunk(SessionFormat.ChunkEnd, 3, w => { w.U32(2); w.U32(80); w.U8(2); })).ToArray();

        /// <summary>A rep chunk holding the first <paramref name="bytes"/> of a rep as SessionRep.Write writes it (28: firmware 1.x's record).</summary>
        private static byte[] RepChunk(uint sequence, int repIndex, int bytes)
        {
            var b = new byte[SessionRep.EncodedLength];
            var w = new ByteWriter(b);
            Rep rep = Reps().ElementAt(repIndex);
            SessionRep.Write(ref w, ref rep, 0f);
            return Chunk(SessionFormat.ChunkRep, sequence, b[..bytes]);
        }

        private static void Sessions(VectorSet set)
        {
            Recorded workout = Workout();
            byte[] file = workout.File;
            SessionVector(set, "session workout at 5 Hz", file, workout.Header);
            SessionVector(set, "session plain, stopped by full storage", Plain(StopReason.StorageFull).File, new SessionHeader());
            SessionVector(set, "session format 1 with a 28-byte rep", FormatOne(), null, reencode: false);
            byte[] header = file[..ChunkEnd(file, 0)];
            SessionVector(set, "session with a 28-byte rep (firmware 1.x)", header.Concat(RepChunk(1, 1, SessionRep.EncodedLengthV1)).ToArray(), workout.Header);
            // A reader takes the chunk's length as the record's: 30 bytes read as a 28-byte rep, the rest ignored.
            SessionVector(set, "session with a 30-byte rep chunk", header.Concat(RepChunk(1, 2, 30)).ToArray(), workout.Header, reencode: false);

            // Damage: one bit flipped in the third chunk costs that chunk (a hole), a cut costs the tail.
            int third = ChunkEnd(file, ChunkEnd(file, 0));
            byte[] flipped = (byte[])file.Clone();
            flipped[third + 12] ^= 0x10;
            SessionVector(set, "session with a damaged chunk (a hole)", flipped, workout.Header);
            byte[] twoHoles = (byte[])flipped.Clone();
            int later = ChunkEnd(file, ChunkEnd(file, ChunkEnd(file, third)));
            twoHoles[later + 2] = 9;
            twoHoles[ChunkEnd(file, later) + 20] ^= 1;
            SessionVector(set, "session with two damaged chunks side by side and one more", twoHoles, workout.Header);
            SessionVector(set, "session torn in its last chunk", file[..^3], workout.Header);
            SessionVector(set, "session torn after a damaged chunk", flipped[..(third + 20)], workout.Header);
        }

        /// <summary>Where the chunk at <paramref name="at"/> ends (the file's own chunk lengths).</summary>
        private static int ChunkEnd(byte[] file, int at) => at + SessionFormat.Overhead + (file[at + 3] | (file[at + 4] << 8));

        /// <summary>
        /// A session file as the host's DecodedSession reads it. The calibration's rotations and
        /// neutral-up vectors are expected as the encoder's Q15 of <paramref name="written"/> (the
        /// C# reader normalises them: arithmetic after the bytes, not a reading of them).
        /// </summary>
        private static void SessionVector(VectorSet set, string name, byte[] file, SessionHeader? written, bool reencode = true)
        {
            DecodedSession s = DecodedSession.Decode(file, file.Length);
            SessionHeader h = s.Header;
            var cal = new JsonArray();
            for (int i = 0; i < 3; i++)
            {
                SegmentCalibration c = h.Calibration.Segments[i];
                SegmentCalibration? w = written?.Calibration.Segments[i];
                Quaternion q = w?.SegmentToSensor ?? c.SegmentToSensor;
                cal.Add(new JsonObject
                {
                    ["hasNeutral"] = c.HasNeutral, ["hasHinge"] = c.HasHinge,
                    ["segmentToSensor"] = Ints(new[] { q.W, q.X, q.Y, q.Z }.Select(ByteWriter.Q15)),
                    ["neutralUp"] = h.FormatVersion >= 2 ? Ints(new[] { w!.NeutralUp.X, w.NeutralUp.Y, w.NeutralUp.Z }.Select(ByteWriter.Q15)) : null,
                    ["neutralSpreadCdeg"] = F32(c.NeutralSpreadDeg, 0.01f), ["hingePlanarity"] = F32Div(c.HingePlanarity, 10000f),
                    ["hingeAxisTiltCdeg"] = F32(c.HingeAxisTiltDeg, 0.01f),
                });
            }
            var header = new JsonObject
            {
                ["formatVersion"] = h.FormatVersion, ["deviceSerial"] = h.DeviceSerial, ["firmwareMajor"] = h.FirmwareMajor, ["firmwareMinor"] = h.FirmwareMinor,
                ["firmwarePatch"] = h.FirmwarePatch, ["sessionId"] = h.SessionId, ["sessionUid"] = BigUnsigned(h.SessionUid), ["startUnixMs"] = Big(h.StartUnixMs),
                ["startDeviceMs"] = h.StartDeviceMs, ["frameRateHz"] = h.FrameRateHz, ["config"] = Config(h.Config),
                ["calibration"] = new JsonObject { ["segments"] = cal, ["hasRange"] = h.Calibration.HasRange, ["rangeTrunkFlexionCdeg"] = F32(h.Calibration.RangeTrunkFlexionDeg, 0.01f) },
            };
            var frames = Items(s.Frames.Select(f => (JsonNode?)new JsonObject
            {
                ["index"] = (long)Math.Round(f.TimeS * h.FrameRateHz), ["validMask"] = f.ValidMask,
                ["angles"] = Items(new[] { f.HeadSag, f.HeadLat, f.UpperSag, f.UpperLat, f.SacrumSag, f.SacrumLat }.Select(a => F32(a, 0.1f))),
            }));
            var events = Items(s.Events.Select(e => (JsonNode?)new JsonObject { ["kind"] = (int)e.Kind, ["timeMs"] = e.TimeMs, ["a"] = e.A, ["b"] = e.B, ["value"] = e.Value }));
            // Which reps carry the coaching bytes: the chunk's length says (SessionRep.Read).
            var repLengths = new List<int>();
            var chunks = new SessionChunkReader(file, file.Length);
            uint endFrames = 0;
            while (chunks.Next())
            {
                if (chunks.Type == SessionFormat.ChunkRep) repLengths.Add(chunks.PayloadLength);
                if (chunks.Type == SessionFormat.ChunkEnd) endFrames = new ByteReader(file, chunks.PayloadOffset, chunks.PayloadLength).U32();
            }
            var reps = Items(s.Reps.Select((r, i) => (JsonNode?)new JsonObject
            {
                ["number"] = r.Number, ["counted"] = r.Counted, ["startMs"] = F32(r.StartS, 0.001f), ["endMs"] = F32(r.EndS, 0.001f),
                ["depthCdeg"] = F32(r.DepthDeg, 0.01f), ["descentMs"] = F32(r.DescentS, 0.001f), ["bottomMs"] = F32(r.BottomS, 0.001f),
                ["ascentMs"] = F32(r.AscentS, 0.001f), ["maxTrunkFlexionCdeg"] = F32(r.MaxTrunkFlexionDeg, 0.01f),
                ["maxHeadFlexionCdeg"] = F32(r.MaxHeadFlexionDeg, 0.01f), ["minHeadFlexionCdeg"] = F32(r.MinHeadFlexionDeg, 0.01f),
                ["maxHingeCdeg"] = F32(r.MaxHingeAngleDeg, 0.01f), ["faultMask"] = r.FaultMask,
                ["coaching"] = repLengths[i] < SessionRep.EncodedLength ? null : new JsonObject
                {
                    ["pattern"] = (int)r.Pattern, ["lockout"] = (int)r.Lockout, ["depthReached"] = r.DepthReached,
                    ["pelvisSharePercent"] = F32(r.PelvisShare, 0.01f), ["sacrumDropMm"] = F32(r.SacrumDropCm, 0.1f),
                },
            }));
            var holes = Items(s.Holes.Select(x => (JsonNode?)new JsonObject
            {
                ["offset"] = x.Offset, ["length"] = x.Length, ["firstMissingSequence"] = x.FirstMissingSequence, ["lastMissingSequence"] = x.LastMissingSequence,
            }));
            var expect = new JsonObject
            {
                ["header"] = header, ["frames"] = frames, ["events"] = events, ["reps"] = reps, ["holes"] = holes,
                ["end"] = s.Closed ? new JsonObject { ["frames"] = endFrames, ["durationMs"] = (long)Math.Round(s.DurationS * 1000), ["reason"] = s.EndReason } : null,
                ["validLength"] = s.ValidLength, ["hadInvalidTail"] = s.HadInvalidTail,
            };
            set.Add("session", name, file, expect, reencode);
        }

        /// <summary>What DownloadPump sends: SessionData packets at each kind of MTU, from the start and resumed, and the DownloadDone or DownloadFailed event ending it.</summary>
        private static void Downloads(VectorSet set, HostProbe host)
        {
            Recorded workout = Workout();
            foreach (var (mtu, offset) in new[] { (247, 0), (185, 0), (23, 0), (23, 501), (247, workout.Session.Length - 5), (247, workout.Session.Length) })
            {
                var queue = new NotificationQueue(64) { LinkSecure = true };
                var pump = new DownloadPump(workout.Store, queue, new ControlPoint(queue));
                ResultCode started = pump.Start(workout.Session.Id, offset);
                if (started != ResultCode.Accepted) throw new InvalidOperationException($"download of session {workout.Session.Id} ({workout.Session.Length} bytes) from {offset} refused: {started}");
                var packets = new List<byte[]>();
                byte[]? done = null;
                var b = new byte[NotificationQueue.MaxPayload];
                for (int pass = 0; pass < 10_000 && done == null; pass++)
                {
                    pump.Pump(mtu);
                    while (queue.TryDequeue(b, out GattCharacteristic target, out int length))
                        if (target == GattCharacteristic.SessionData) packets.Add(b[..length]);
                        else if (target == GattCharacteristic.Control) done = b[..length];
                }
                if (done == null) throw new InvalidOperationException("no DownloadDone");
                int at = offset;
                foreach (var (p, i) in packets.Select((p, i) => (p, i)))
                {
                    // The first two, the last and one in the middle: every size a packet has here.
                    if (i < 2 || i == packets.Count - 1 || i == packets.Count / 2)
                    {
                        set.Add("sessionData", $"session data at MTU {mtu} from {offset}, packet {i}", p, new JsonObject
                        {
                            ["session"] = workout.Session.Id, ["offset"] = at, ["data"] = Bytes(workout.File[at..(at + p.Length - 6)]),
                        });
                        if (host.Push(GattIds.SessionData, p) != null) throw new InvalidOperationException("the host refused a SessionData packet");
                    }
                    at += p.Length - 6;
                }
                if (at != workout.Session.Length) throw new InvalidOperationException("the packets do not add up to the file");
                var tag = new byte[SessionFormat.DigestTagBytes];
                for (int i = 0; i < tag.Length; i++) tag[i] = workout.Session.TagByte(i);
                set.Add("control", $"event DownloadDone at MTU {mtu} from {offset}", done, new JsonObject
                {
                    ["message"] = "event", ["event"] = (int)DeviceEvent.DownloadDone, ["session"] = workout.Session.Id, ["length"] = workout.Session.Length, ["tag"] = Bytes(tag),
                });
            }
            DownloadOfUnfinished(set);
            DownloadFailures(set);
        }

        // A session still recording is sent as far as it has been closed, announced without a digest (an all-zero tag).
        private static void DownloadOfUnfinished(VectorSet set)
        {
            var flash = new FlashModel(192 * 1024);
            var store = new SessionStore(flash, "/", new FixedRandom(5));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            SessionInfo s = recorder.Start(new SessionHeader { DeviceSerial = "HS1-000003", FrameRateHz = 1 }, 0f)!;
            recorder.AddFrame(new PostureMetrics { ValidSegments = 7 });
            recorder.Flush();
            var queue = new NotificationQueue(64) { LinkSecure = true };
            var pump = new DownloadPump(store, queue, new ControlPoint(queue));
            pump.Start(s.Id, 0);
            pump.Pump(247);
            var b = new byte[NotificationQueue.MaxPayload];
            byte[]? done = null;
            while (queue.TryDequeue(b, out GattCharacteristic target, out int length)) if (target == GattCharacteristic.Control) done = b[..length];
            set.Add("control", "event DownloadDone of a session still recording (no digest yet)", done!, new JsonObject
            {
                ["message"] = "event", ["event"] = (int)DeviceEvent.DownloadDone, ["session"] = s.Id, ["length"] = s.Length, ["tag"] = Bytes(new byte[12]),
            });
        }

        // DownloadFailed: the session erased under the download (NotFound), its file cut short on the flash (InternalError).
        private static void DownloadFailures(VectorSet set)
        {
            foreach (ResultCode result in new[] { ResultCode.NotFound, ResultCode.InternalError })
            {
                Recorded r = Workout();
                var queue = new NotificationQueue(10) { LinkSecure = true };
                var pump = new DownloadPump(r.Store, queue, new ControlPoint(queue));
                pump.Start(r.Session.Id, 0);
                pump.Pump(23);
                var b = new byte[NotificationQueue.MaxPayload];
                int sent = 0;
                while (queue.TryDequeue(b, out _, out int length)) sent += length - 6;
                if (result == ResultCode.NotFound) r.Store.Erase(r.Session.Id, true, new byte[12], 0);
                else r.Flash.Truncate(r.Store.PathOf(r.Session.Id), sent + 3);
                byte[]? failed = null;
                for (int pass = 0; pass < 100 && failed == null; pass++)
                {
                    pump.Pump(23);
                    while (queue.TryDequeue(b, out GattCharacteristic target, out int length))
                    {
                        if (target == GattCharacteristic.SessionData) sent += length - 6;
                        else failed = b[..length];
                    }
                }
                if (failed == null || failed[1] != (byte)DeviceEvent.DownloadFailed || failed[8] != (byte)result) throw new InvalidOperationException($"no DownloadFailed {result}");
                set.Add("control", $"event DownloadFailed {result}", failed, new JsonObject
                {
                    ["message"] = "event", ["event"] = (int)DeviceEvent.DownloadFailed, ["session"] = r.Session.Id, ["offset"] = sent, ["result"] = (int)result,
                });
            }
        }
    }
}
