using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Protocol;
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
                c.NeutralSpreadDeg = 0.42f + s;
                c.HingePlanarity = 0.9731f - 0.01f * s;
                c.HingeAxisTiltDeg = -3.17f * (s + 1);
            }
            return cal;
        }

        [Fact]
        public void A_calibration_record_is_exactly_its_encoded_length_and_reads_back_equal()
        {
            BodyCalibration written = SampleCalibration();
            var buffer = new byte[CalibrationRecord.EncodedLength];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, written);
            Assert.True(w.Ok);
            Assert.Equal(CalibrationRecord.EncodedLength, w.Position);

            var read = new BodyCalibration();
            var r = new ByteReader(buffer, 0, buffer.Length);
            CalibrationRecord.Read(ref r, read);
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
                Assert.InRange(b.NeutralSpreadDeg - a.NeutralSpreadDeg, -0.006f, 0.006f);                    // 0.01°
                Assert.InRange(b.HingePlanarity - a.HingePlanarity, -0.0001f, 0.0001f);                      // 1e-4
                Assert.InRange(b.HingeAxisTiltDeg - a.HingeAxisTiltDeg, -0.006f, 0.006f);
            }
        }

        [Fact]
        public void A_calibration_record_one_byte_short_does_not_read()
        {
            var buffer = new byte[CalibrationRecord.EncodedLength];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, SampleCalibration());
            var r = new ByteReader(buffer, 0, buffer.Length - 1);
            CalibrationRecord.Read(ref r, new BodyCalibration());
            Assert.False(r.Ok);
        }
    }
}
