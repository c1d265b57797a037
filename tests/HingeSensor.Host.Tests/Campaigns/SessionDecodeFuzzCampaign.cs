using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// Downloaded session files as the host decodes them (DecodedSession, SessionHeader),
    /// mutated from a file our recorder wrote — the whole file as damage would, each kind of chunk
    /// with its payload mutated and sealed again, and every payload byte of one chunk of each kind
    /// set to 0, 1, 0x7F, 0x80 and 0xFF and sealed again — so that what a chunk says reaches the
    /// decoder as it is. Goal: the file does not decode (InvalidDataException, and the session is
    /// quarantined), or what it decodes to is within docs/session-format.md — a header of format
    /// 1-2 with a serial of at most 16, a rate of 1-100 Hz and a config within protocol §9.2;
    /// frames at finite times, valid masks of three bits, angles an i16 of 0.1° can hold (NaN
    /// exactly where a segment is invalid); alignment events of a known kind and fault — and the
    /// database stores it and gives it back for a report.
    /// </summary>
    public class SessionDecodeFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public SessionDecodeFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static readonly DeviceIdentityInfo Device = new("HS1-FUZZ", null, null, null, null);

        /// <summary>20 s as the recorder writes them: a calibrated header, frames with a sensor dropping out, alerts, reps, the end.</summary>
        internal static byte[] Recorded()
        {
            var flash = new FlashModel(256 * 1024);
            var store = new SessionStore(flash, "/hinge/", new SeededRandom(1));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            var header = new SessionHeader { DeviceSerial = "HS1-FUZZ", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 };
            header.Config.Flags = DeviceConfig.FlagRangePercent;
            header.Calibration.HasRange = true;
            header.Calibration.RangeTrunkFlexionDeg = 70f;
            foreach (var c in header.Calibration.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.1f, 1f, 0.2f).Normalized(), 0.4f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
            }
            SessionInfo s = recorder.Start(header, 0f)!;
            var m = new PostureMetrics { ValidSegments = 7 };
            var rng = new Random(5);
            for (int k = 0; k < 20 * 25; k++)
            {
                float t = k * 0.04f;
                m.TimeS = t;
                m.UpperBackSagittalDeg = 40 + 40 * MathF.Sin(t);
                m.SacrumSagittalDeg = 30 + 30 * MathF.Sin(t);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble() * 20;
                m.HeadLateralDeg = (float)rng.NextDouble() * 3;
                m.ValidSegments = k % 200 < 190 ? 7 : 3;
                recorder.AddFrame(m);
                if (k % 50 == 10) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Started, (int)Fault.ChinDrop, 2100);
                if (k % 50 == 30) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Corrected, (int)Fault.ChinDrop, 2400);
                if (k % 125 == 124) recorder.AddRep(new Rep { Number = k / 125, Counted = true, StartS = t - 3, EndS = t, DepthDeg = 80, MaxTrunkFlexionDeg = 12, FaultMask = 4 });
            }
            recorder.Stop(StopReason.Requested, 20f);
            byte[] bytes = flash.Contents(store.PathOf(s.Id));
            Assert.Equal(s.Length, bytes.Length);
            return bytes;
        }

        [Fact]
        public void Mutated_session_files_decode_within_the_format_and_are_stored_or_are_refused()
        {
            int cases = CampaignScale.Size(4_000, 120_000);
            byte[] original = Recorded();
            var chunks = new List<(int Offset, int Length, int Type)>();
            var reader = new SessionChunkReader(original, original.Length);
            for (int at = 0; reader.Next(); at = reader.ValidLength) chunks.Add((at, reader.ValidLength - at, reader.Type));
            // One chunk of each kind, to seal again over its mutated payload.
            int[] kinds = Enumerable.Range(SessionFormat.ChunkHeader, SessionFormat.ChunkEnd).Select(t => chunks.FindIndex(c => c.Type == t)).ToArray();
            Assert.DoesNotContain(-1, kinds);

            var mutator = new Mutator(1984);
            var tally = new FuzzTally("session-decode", typeof(InvalidDataException));
            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            for (int i = 0; i < cases; i++)
            {
                int target = i % 2 == 0 ? -1 : kinds[i / 2 % kinds.Length];
                Mutation m = target < 0 ? mutator.Next(original, i) : Resealed(original, chunks[target], (uint)target, mutator, i);
                bool store = i % (CampaignScale.Long ? 32 : 8) == 0; // the database is slower than decoding: one case in eight (32 in the long run) goes on to it
                tally.Run(() => $"{mutator.Reproduce(i)}{(target >= 0 ? $" on the payload of chunk {target}, sealed again" : "")}: {m.Description}", () =>
                {
                    DecodedSession d = DecodedSession.Decode(m.Bytes, m.Bytes.Length);
                    string? wrong = Violation(d);
                    if (wrong != null) return wrong;
                    if (!store) return "";
                    var (id, _) = db.ImportDeviceSession(Device, m.Bytes);
                    StoredSession? back = db.GetSession(id);
                    return back == null ? "stored, but not given back" : back.Frames.Count == d.Frames.Count ? "" : $"{d.Frames.Count} frames stored, {back.Frames.Count} given back";
                });
            }
            // And every byte of one chunk of each kind set to each value decoders trip on, sealed again:
            // the header's rate, serial length and config length, the counts and masks, all of them.
            foreach (int c in kinds)
            {
                var (offset, length, type) = chunks[c];
                for (int at = SessionFormat.HeaderBytes; at < length - SessionFormat.CrcBytes; at++)
                foreach (byte value in new byte[] { 0x00, 0x01, 0x7F, 0x80, 0xFF })
                {
                    byte[] file = (byte[])original.Clone();
                    if (file[offset + at] == value) continue;
                    file[offset + at] = value;
                    byte[] chunk = file[offset..(offset + length)];
                    SessionFormat.Seal(chunk, type, length - SessionFormat.Overhead, (uint)c);
                    chunk.CopyTo(file, offset);
                    tally.Run(() => $"chunk {c}, payload byte {at - SessionFormat.HeaderBytes} set to 0x{value:x2}, sealed again", () =>
                    {
                        DecodedSession d = DecodedSession.Decode(file, file.Length);
                        return Violation(d) ?? "";
                    });
                }
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static Mutation Resealed(byte[] file, (int Offset, int Length, int Type) chunk, uint sequence, Mutator mutator, int index)
        {
            byte[] payload = file.AsSpan(chunk.Offset + SessionFormat.HeaderBytes, chunk.Length - SessionFormat.Overhead).ToArray();
            Mutation m = mutator.Next(payload, index);
            int n = Math.Min(m.Bytes.Length, SessionFormat.MaxPayload);
            var sealedChunk = new byte[n + SessionFormat.Overhead];
            m.Bytes.AsSpan(0, n).CopyTo(sealedChunk.AsSpan(SessionFormat.HeaderBytes));
            SessionFormat.Seal(sealedChunk, chunk.Type, n, sequence);
            return new Mutation(file[..chunk.Offset].Concat(sealedChunk).Concat(file[(chunk.Offset + chunk.Length)..]).ToArray(), m.Description);
        }

        /// <summary>Null when a decoded session is within docs/session-format.md; otherwise what is not.</summary>
        private static string? Violation(DecodedSession d)
        {
            SessionHeader h = d.Header;
            if (h.FormatVersion is < 1 or > 2) return $"format {h.FormatVersion}";
            if (h.DeviceSerial.Length > SessionHeader.MaxSerial) return $"a serial of {h.DeviceSerial.Length} characters";
            if (h.FrameRateHz is < 1 or > 100) return $"frame rate {h.FrameRateHz} Hz";
            var config = new byte[DeviceConfig.MaxEncodedLength];
            string? bad = ConfigRecordLimits.Violation(config.AsSpan(0, h.Config.Encode(config, 0)));
            if (bad != null) return "header config: " + bad;
            foreach (SessionFrame f in d.Frames)
            {
                if (!double.IsFinite(f.TimeS) || f.TimeS < 0) return $"a frame at {f.TimeS} s";
                if ((f.ValidMask & ~7) != 0) return $"valid mask 0x{f.ValidMask:x2}";
                float[] angles = { f.HeadSag, f.HeadLat, f.UpperSag, f.UpperLat, f.SacrumSag, f.SacrumLat };
                for (int a = 0; a < 6; a++)
                {
                    bool valid = (f.ValidMask & (1 << (a / 2))) != 0;
                    if (valid != !float.IsNaN(angles[a])) return $"angle {a} is {angles[a]} with valid mask {f.ValidMask}";
                    if (valid && MathF.Abs(angles[a]) > 3276.75f) return $"an angle of {angles[a]}° (an i16 of 0.1° holds ±3276.7°)";
                }
            }
            foreach (SessionEvent e in d.Events)
                if (e.Kind == SessionEventKind.Alignment && (e.A is < 1 or > 4 || e.B is < 1 or > 3))
                    return $"an alignment event {e.A} for fault {e.B}";
            return null;
        }
    }
}
