using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>The fixed-layout records: their declared lengths are the lengths their writers produce.</summary>
    public class ProtocolRecordTests
    {
        private static BodyCalibration SampleCalibration()
        {
            var cal = new BodyCalibration { HasRange = true, RangeTrunkFlexionDeg = 71.25f };
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                c.HasNeutral = true;
                c.HasHinge = s != 1;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(1f, 2f - s, 0.5f * s).Normalized(), 0.3f + s);
                c.NeutralUp = c.HasHinge ? c.SegmentToSensor.Rotate(Vector3.UnitZ) : new Vector3(0.3f, -0.2f, 0.9f).Normalized();
                c.NeutralSpreadDeg = 0.42f + s;
                c.HingePlanarity = 0.9731f - 0.01f * s;
                c.HingeAxisTiltDeg = -3.17f * (s + 1);
                c.AccelBias = new Vector3(0.2134f - 0.1f * s, -0.4567f, 0.0891f * (s + 1));
            }
            return cal;
        }

        [Fact]
        public void A_live_frame_carries_its_orientations_exactly_as_ByteWriter_encodes_quaternions()
        {
            // LivePacket writes the Q15 components itself (the device cannot afford a call each):
            // it must agree with ByteWriter's encoding byte for byte, rounding and saturation included.
            var rng = new Random(5);
            var values = new float[] { 0f, 1f, -1f, 1.2f, -1.2f, 0.5f / 32767f, -0.5f / 32767f, 1.5f / 32767f, 0.99999f, -0.99999f };
            for (int trial = 0; trial < 200; trial++)
            {
                var sample = new LiveSample();
                for (int i = 0; i < 12; i++)
                    sample.Orientations[i] = trial < values.Length ? values[(trial + i) % values.Length] : (float)(rng.NextDouble() * 2.4 - 1.2);
                var frame = new byte[LivePacket.FullFrameBytes];
                Assert.Equal(LivePacket.FullFrameBytes, LivePacket.WriteFrame(frame, 0, LivePacket.KindFull, sample));
                var expected = new byte[24];
                var w = new ByteWriter(expected);
                for (int s = 0; s < 3; s++)
                    w.QuaternionQ15(sample.Orientations[4 * s], sample.Orientations[4 * s + 1], sample.Orientations[4 * s + 2], sample.Orientations[4 * s + 3]);
                Assert.Equal(expected, frame[6..30]);
            }
        }

        [Theory]
        [InlineData(40, 4)]     // phase 4
        [InlineData(41, 0x10)]  // a fault bit past head up
        [InlineData(41, 0x01)]  // the "None" bit
        [InlineData(42, 0x08)]  // a fourth segment
        public void A_full_frame_with_a_state_byte_outside_the_protocol_is_malformed(int at, int value)
        {
            var f = new LiveFrame { Sequence = 7, Head = Quaternion.Identity, UpperBack = Quaternion.Identity, Sacrum = Quaternion.Identity, Phase = 1, FaultMask = 2, ValidMask = 7 };
            var packet = new byte[LivePacket.HeaderBytes + LivePacket.FullFrameBytes];
            LivePacket.WriteFrame(packet, LivePacket.WriteHeader(packet, 0, LivePacket.KindFull, 1), LivePacket.KindFull, ref f);
            var frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
            Assert.Equal(1, LivePacket.Read(packet, 0, packet.Length, frames));

            packet[LivePacket.HeaderBytes + at] = (byte)value;

            Assert.Equal(-1, LivePacket.Read(packet, 0, packet.Length, frames)); // was read, and a mask of 0x10 shown as "head up"
        }

        [Fact]
        public void A_calibration_record_is_exactly_its_encoded_length_and_reads_back_equal()
        {
            BodyCalibration written = SampleCalibration();
            var buffer = new byte[CalibrationRecord.EncodedLength];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, written, CalibrationRecord.Version);
            Assert.True(w.Ok);
            Assert.Equal(CalibrationRecord.EncodedLength, w.Position);

            var read = new BodyCalibration();
            var r = new ByteReader(buffer, 0, buffer.Length);
            CalibrationRecord.Read(ref r, read, CalibrationRecord.Version);
            Assert.True(r.Ok);
            Assert.Equal(0, r.Remaining);
            Assert.Equal(written.HasRange, read.HasRange);
            Assert.Equal(written.RangeTrunkFlexionDeg, read.RangeTrunkFlexionDeg, 2);
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration a = written.Segments[s], b = read.Segments[s];
                Assert.Equal(a.HasNeutral, b.HasNeutral);
                Assert.Equal(a.HasHinge, b.HasHinge);
                Assert.InRange(Quaternion.AngleBetweenDeg(a.SegmentToSensor, b.SegmentToSensor), 0f, 0.05f); // Q15
                Assert.InRange(Vector3.Dot(a.NeutralUp, b.NeutralUp), 0.99999f, 1.00001f);                    // carried, not derived
                Assert.InRange(b.NeutralSpreadDeg - a.NeutralSpreadDeg, -0.006f, 0.006f);                    // 0.01°
                Assert.InRange(b.HingePlanarity - a.HingePlanarity, -0.0001f, 0.0001f);                      // 1e-4
                Assert.InRange(b.HingeAxisTiltDeg - a.HingeAxisTiltDeg, -0.006f, 0.006f);
                Assert.InRange((b.AccelBias - a.AccelBias).Length, 0f, 0.001f);                              // mm/s²
            }
        }

        [Fact]
        public void A_session_header_keeps_calibration_record_version_2_without_the_accelerometer_offsets()
        {
            // Session format 2 carries a version-2 record: its readers (host, web app, team server)
            // read the frames the offsets were already applied to.
            var buffer = new byte[CalibrationRecord.EncodedLengthV2];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, SampleCalibration(), 2);
            Assert.True(w.Ok);
            Assert.Equal(CalibrationRecord.EncodedLengthV2, w.Position);
            var read = new BodyCalibration();
            var r = new ByteReader(buffer, 0, buffer.Length);
            CalibrationRecord.Read(ref r, read, 2);
            Assert.True(r.Ok);
            Assert.Equal(0, r.Remaining);
            foreach (SegmentCalibration c in read.Segments) Assert.Equal(Vector3.Zero, c.AccelBias);
            Assert.Equal(CalibrationRecord.EncodedLengthV2, CalibrationRecord.EncodedLengthOf(2));
            Assert.Equal(CalibrationRecord.EncodedLength, CalibrationRecord.EncodedLengthOf(3));
            Assert.Equal(0, CalibrationRecord.EncodedLengthOf(4));
        }

        [Fact]
        public void A_calibration_record_one_byte_short_does_not_read()
        {
            var buffer = new byte[CalibrationRecord.EncodedLength];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, SampleCalibration(), CalibrationRecord.Version);
            var r = new ByteReader(buffer, 0, buffer.Length - 1);
            CalibrationRecord.Read(ref r, new BodyCalibration(), CalibrationRecord.Version);
            Assert.False(r.Ok);
        }

        private static DeviceStatus SampleStatus(uint uptimeS)
        {
            var s = new DeviceStatus
            {
                BatteryPercent = 77, BatteryMillivolts = 3912, Charging = true, CalibrationFlags = 3, Capturing = 2,
                Recording = RecordingState.Recording, SessionId = 513, StorageUsedKb = 120, StorageTotalKb = 256,
                UndownloadedSessions = 4, Flags = DeviceStatus.FlagTimeSet | DeviceStatus.FlagQuiet,
                UptimeS = uptimeS, FifoOverflows = 3, LiveDropped = 9, LoopOverruns = 11, ControlLost = 13,
            };
            s.Sensors[1] = SensorState.Retrying;
            s.Sensors[2] = SensorState.Absent;
            return s;
        }

        [Fact]
        public void The_status_essential_prefix_is_exactly_the_fields_before_the_uptime()
        {
            var a = new byte[64];
            var b = new byte[64];
            Assert.Equal(DeviceStatus.EncodedLength, SampleStatus(0x01020304).Encode(a, 0));
            Assert.Equal(DeviceStatus.EncodedLength, SampleStatus(0x0A0B0C0D).Encode(b, 0));
            // The uptime starts right after the essential fields: only it (and the counters) differ.
            Assert.Equal(a.AsSpan(0, DeviceStatus.EssentialLength).ToArray(), b.AsSpan(0, DeviceStatus.EssentialLength).ToArray());
            Assert.Equal(0x04, a[DeviceStatus.EssentialLength]);

            var shortForm = new DeviceStatus();
            Assert.True(shortForm.Decode(a, 0, DeviceStatus.EssentialLength));
            Assert.Equal(4, shortForm.UndownloadedSessions);
            Assert.Equal(DeviceStatus.FlagTimeSet | DeviceStatus.FlagQuiet, shortForm.Flags);
            Assert.Equal(SensorState.Absent, shortForm.Sensors[2]);
            Assert.Equal(0u, shortForm.UptimeS);
            Assert.False(new DeviceStatus().Decode(a, 0, DeviceStatus.EssentialLength - 1));

            // The offsets the device's change test skips are those fields.
            Assert.Equal(3912, BitConverter.ToUInt16(a, DeviceStatus.OffsetBatteryMillivolts));
            Assert.Equal(120, BitConverter.ToUInt16(a, DeviceStatus.OffsetStorageUsed));

            var full = new DeviceStatus();
            Assert.True(full.Decode(a, 0, DeviceStatus.EncodedLength));
            Assert.Equal(0x01020304u, full.UptimeS);
            Assert.Equal(11, full.LoopOverruns);
            Assert.Equal(13, full.ControlLost);
        }

        [Fact]
        public void Config_records_span_exactly_min_to_max_encoded_length()
        {
            var buffer = new byte[64];
            Assert.Equal(DeviceConfig.MaxEncodedLength, new DeviceConfig { DeviceName = new string('N', DeviceConfig.MaxNameBytes) }.Encode(buffer, 0));
            Assert.Equal(ConfigField.None, DeviceConfig.Decode(buffer, 0, DeviceConfig.MaxEncodedLength, new DeviceConfig()));
            Assert.Equal(ConfigField.Length, DeviceConfig.Decode(buffer, 0, DeviceConfig.MaxEncodedLength + 1, new DeviceConfig()));

            Assert.Equal(DeviceConfig.MinEncodedLength, new DeviceConfig { DeviceName = "N" }.Encode(buffer, 0));
            Assert.Equal(ConfigField.None, DeviceConfig.Decode(buffer, 0, DeviceConfig.MinEncodedLength, new DeviceConfig()));
            Assert.Equal(ConfigField.Length, DeviceConfig.Decode(buffer, 0, DeviceConfig.MinEncodedLength - 1, new DeviceConfig()));
        }

        [Fact]
        public void A_name_too_long_is_encoded_whole_and_refused_by_name_never_cut()
        {
            string longName = new string('N', DeviceConfig.MaxNameBytes + 5);
            var buffer = new byte[DeviceConfig.FixedLength + longName.Length];
            Assert.Equal(buffer.Length, new DeviceConfig { DeviceName = longName }.Encode(buffer, 0));
            var into = new DeviceConfig { DeviceName = "before" };
            Assert.Equal(ConfigField.DeviceName, DeviceConfig.Decode(buffer, 0, buffer.Length, into));
            Assert.Equal("before", into.DeviceName);
            Assert.Equal(ConfigField.DeviceName, new DeviceConfig { DeviceName = longName }.Validate());
        }
    }
}
