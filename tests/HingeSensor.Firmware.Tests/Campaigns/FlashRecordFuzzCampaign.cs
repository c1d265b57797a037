using System;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;
using static HingeSensor.Firmware.Tests.StoreKit;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// The records the device reads back at boot — config, calibration, next id, a session's
    /// digest record — cut short, grown, overwritten, spliced, left as a half-renamed temp file
    /// (<see cref="RecordFlipCampaign"/> has every single-bit flip), and, for the records whose
    /// content the device judges, their payload mutated and sealed again with a good check. Goal:
    /// a record that does not check is refused and reported with a safe fallback, never half
    /// believed; one that checks is taken only if its values are within their limits (protocol
    /// §9.2 for the config, no impossible angles for the calibration, an id 1-65535 for next id).
    /// </summary>
    public class FlashRecordFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public FlashRecordFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static readonly string ConfigPath = Dir + "config.bin", ConfigTemp = Dir + "config.tmp";
        private static readonly string CalibrationPath = Dir + "calib.bin";
        private static readonly string NextIdPath = Dir + "next.id", DigestPath = Dir + "S00001.dg";

        private static byte[] Encoded(DeviceConfig c)
        {
            var b = new byte[DeviceConfig.MaxEncodedLength];
            return b[..c.Encode(b, 0)];
        }

        /// <summary>A record file as <see cref="RecordFile"/> lays it out: 'H' kind version length payload CRC-32.</summary>
        private static byte[] RecordFileOf(char kind, int version, byte[] payload)
        {
            var b = new byte[RecordFile.Overhead + payload.Length];
            b[0] = (byte)'H';
            b[1] = (byte)kind;
            b[2] = (byte)version;
            b[3] = (byte)payload.Length;
            payload.CopyTo(b, RecordFile.HeaderBytes);
            BitConverter.GetBytes(Crc32.Compute(b, 0, b.Length - 4)).CopyTo(b, b.Length - 4);
            return b;
        }

        /// <summary>config.bin as <see cref="ConfigStore"/> lays it out: 'H' 'C' length record CRC-32.</summary>
        private static byte[] ConfigFileOf(byte[] record)
        {
            var b = new byte[record.Length + 7];
            b[0] = (byte)'H';
            b[1] = (byte)'C';
            b[2] = (byte)record.Length;
            record.CopyTo(b, 3);
            BitConverter.GetBytes(Crc32.Compute(b, 0, b.Length - 4)).CopyTo(b, b.Length - 4);
            return b;
        }

        [Fact]
        public void Records_cut_grown_overwritten_or_sealed_over_bad_values_are_refused_and_reported()
        {
            int cases = Campaign.Size(5_000, 100_000);
            var tally = new FuzzTally("flash-records");
            var mutator = new Mutator(1729);
            var flash = new FlashModel();

            // config.bin, and its temp left alone by a cut between the delete and the move.
            Assert.True(new ConfigStore(flash, Dir).Save(new DeviceConfig { ChinDropTenthsDeg = 180, DeviceName = "Coach B", RecordRateHz = 5, Flags = DeviceConfig.FlagPostureMode }));
            byte[] configFile = flash.Contents(ConfigPath);
            byte[] record = configFile[3..^4];
            for (int i = 0; i < cases; i++)
            {
                int k = i;
                bool sealedOver = i % 2 == 1, asTemp = i % 4 >= 2;
                Mutation m = sealedOver ? Sealed(mutator.Next(record, k), ConfigFileOf) : mutator.Next(configFile, k);
                tally.Run(() => $"config{(asTemp ? " (as the temp)" : "")}{(sealedOver ? ", record sealed again" : "")}, {mutator.Reproduce(k)}: {m.Description}", () =>
                {
                    flash.Delete(ConfigPath);
                    flash.Delete(ConfigTemp);
                    flash.Write(asTemp ? ConfigTemp : ConfigPath, m.Bytes, 0, m.Bytes.Length);
                    var store = new ConfigStore(flash, Dir);
                    var into = new DeviceConfig { DeviceName = "Before" };
                    store.Load(into);
                    byte[] taken = flash.Contents(ConfigPath);
                    bool refused = asTemp ? taken.Length == 0 : store.WasReset;
                    if (refused)
                        return Encoded(into).AsSpan().SequenceEqual(Encoded(new DeviceConfig())) ? null : "refused, but the defaults are not in force";
                    if (!taken.AsSpan().SequenceEqual(m.Bytes)) return "taken, but config.bin is not the record taken";
                    if (!sealedOver) return "a record that does not check was taken";
                    return ConfigRecordLimits.Violation(m.Bytes.AsSpan(3, m.Bytes.Length - 7))
                        ?? (Encoded(into).AsSpan().SequenceEqual(m.Bytes.AsSpan(3, m.Bytes.Length - 7)) ? "" : "taken, but not as written");
                });
            }

            // calib.bin, with a complete calibration and a range; its .new beside it now and then.
            var cal = new BodyCalibration { HasRange = true, RangeTrunkFlexionDeg = 64f };
            foreach (SegmentCalibration c in cal.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.2f, 1f, 0.1f).Normalized(), 0.6f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
                c.NeutralSpreadDeg = 0.8f;
                c.HingePlanarity = 0.93f;
                c.HingeAxisTiltDeg = 4f;
            }
            Assert.True(new CalibrationStore(flash, Dir).Save(cal));
            byte[] calibrationFile = flash.Contents(CalibrationPath);
            byte[] calibrationPayload = calibrationFile[RecordFile.HeaderBytes..^4];
            for (int i = 0; i < cases; i++)
            {
                int k = cases + i;
                bool sealedOver = i % 2 == 1, asTemp = i % 4 >= 2;
                Mutation m = sealedOver ? Sealed(mutator.Next(calibrationPayload, k), p => RecordFileOf('K', CalibrationRecord.Version, p)) : mutator.Next(calibrationFile, k);
                tally.Run(() => $"calibration{(asTemp ? " (as the .new beside a good one)" : "")}{(sealedOver ? ", record sealed again" : "")}, {mutator.Reproduce(k)}: {m.Description}", () =>
                {
                    flash.Write(CalibrationPath, asTemp ? calibrationFile : m.Bytes, 0, asTemp ? calibrationFile.Length : m.Bytes.Length);
                    if (asTemp) flash.Write(RecordFile.TempOf(CalibrationPath), m.Bytes, 0, m.Bytes.Length);
                    var store = new CalibrationStore(flash, Dir);
                    var into = new BodyCalibration();
                    bool loaded = store.Load(into);
                    byte[] taken = flash.Contents(CalibrationPath);
                    if (!loaded)
                        return store.Refused && into.Segments.All(s => !s.HasNeutral && !s.HasHinge) && !into.HasRange ? null : "refused without saying so, or without falling back to uncalibrated";
                    if (asTemp && taken.AsSpan().SequenceEqual(calibrationFile)) return flash.Length(RecordFile.TempOf(CalibrationPath)) < 0 ? null : "the torn .new was left behind";
                    if (!taken.AsSpan().SequenceEqual(m.Bytes)) return "taken, but calib.bin is not the record taken";
                    if (!sealedOver) return "a record that does not check was taken";
                    return Impossible(into) ?? "";
                });
            }

            // next.id and a session's digest record, beside two sessions (the first marked downloaded).
            SessionStore sessions = Recovered(flash);
            var recorder = new SessionRecorder(sessions, flash);
            StorageTests.RecordMinute(recorder, new Random(1), 5);
            StorageTests.RecordMinute(recorder, new Random(2), 5);
            Assert.Equal(ResultCode.Success, Mark(flash, sessions, 1));
            byte[] nextIdFile = flash.Contents(NextIdPath), digestFile = flash.Contents(DigestPath);
            for (int i = 0; i < cases; i++)
            {
                int k = 2 * cases + i;
                bool sealedOver = i % 2 == 1;
                Mutation m = sealedOver ? Sealed(mutator.Next(nextIdFile[RecordFile.HeaderBytes..^4], k), p => RecordFileOf('N', 1, p)) : mutator.Next(nextIdFile, k);
                tally.Run(() => $"next id{(sealedOver ? ", record sealed again" : "")}, {mutator.Reproduce(k)}: {m.Description}", () =>
                {
                    flash.Write(NextIdPath, m.Bytes, 0, m.Bytes.Length);
                    SessionStore s = Recovered(flash);
                    SessionInfo created = s.Create()!;
                    string? wrong = created.Id < 1 || created.Id > SessionStore.MaxId || created.Id <= 2 ? $"the next session would be {created.Id}" : null;
                    s.Discard(created);
                    flash.Write(NextIdPath, nextIdFile, 0, nextIdFile.Length);
                    if (wrong != null) return wrong;
                    if (s.RecordRefused) return null;
                    return sealedOver ? "" : "a record that does not check was taken";
                });
            }
            for (int i = 0; i < cases; i++)
            {
                int k = 3 * cases + i;
                Mutation m = mutator.Next(digestFile, k);
                tally.Run(() => $"digest record, {mutator.Reproduce(k)}: {m.Description}", () =>
                {
                    flash.Write(DigestPath, m.Bytes, 0, m.Bytes.Length);
                    SessionInfo s = Recovered(flash).Find(1)!;
                    flash.Write(DigestPath, digestFile, 0, digestFile.Length);
                    if (s.DigestState == SessionInfo.DigestPending && !s.Downloaded) return null; // refused: hashed again, marked again
                    return "a digest record that does not check was taken";
                });
            }

            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static Mutation Sealed(Mutation payload, Func<byte[], byte[]> seal)
        {
            // The length field is one byte: a longer payload cannot be sealed, its first 255 bytes can.
            byte[] p = payload.Bytes.Length > 255 ? payload.Bytes[..255] : payload.Bytes;
            return new Mutation(seal(p), payload.Description);
        }

        /// <summary>
        /// What makes a calibration give impossible angles, stated here on its own: a hinge without
        /// a neutral, a rotation or up that is not a unit, an up more than 2° off the rotation's z
        /// (neutral must read 0°), figures that are not numbers, a range without a complete
        /// calibration or outside 0-180°.
        /// </summary>
        private static string? Impossible(BodyCalibration c)
        {
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration g = c.Segments[s];
                if (g.HasHinge && !g.HasNeutral) return $"segment {s}: a hinge without a neutral";
                if (!float.IsFinite(g.NeutralSpreadDeg) || !float.IsFinite(g.HingePlanarity) || !float.IsFinite(g.HingeAxisTiltDeg)) return $"segment {s}: a figure that is not a number";
                if (g.HasNeutral && (!g.NeutralUp.IsFinite || MathF.Abs(g.NeutralUp.Length - 1f) > 0.01f)) return $"segment {s}: neutral up of length {g.NeutralUp.Length}";
                if (!g.HasHinge) continue;
                Quaternion q = g.SegmentToSensor;
                if (!q.IsFinite || MathF.Abs(q.Norm - 1f) > 0.01f) return $"segment {s}: rotation of norm {q.Norm}";
                float off = MathF.Acos(Math.Clamp(Vector3.Dot(q.Rotate(Vector3.UnitZ), g.NeutralUp.Normalized()), -1f, 1f)) * 180f / MathF.PI;
                if (off > 2.01f) return $"segment {s}: neutral reads {off:0.0}°, not 0°";
            }
            if (c.HasRange && (!c.IsComplete || !(c.RangeTrunkFlexionDeg > 0f && c.RangeTrunkFlexionDeg <= 180f))) return $"range {c.RangeTrunkFlexionDeg}° with a calibration {(c.IsComplete ? "" : "not ")}complete";
            return null;
        }
    }
}
