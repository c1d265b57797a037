using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>A calibration that would give impossible angles is refused, never put in force.</summary>
    public class CalibrationCheckTests
    {
        // A mounting 40° off about x and its neutral up, consistent: what a good neutral + hinge gives.
        private static BodyCalibration Consistent()
        {
            var cal = new BodyCalibration();
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(Vector3.UnitX, 0.7f + 0.1f * s);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
            }
            return cal;
        }

        [Fact]
        public void A_consistent_calibration_passes_and_each_kind_of_inconsistency_is_refused_naming_the_segment()
        {
            Assert.Equal(CalibrationStatus.Ok, CalibrationCheck.Check(Consistent(), out _));

            BodyCalibration offNeutral = Consistent();
            offNeutral.Segments[1].NeutralUp = Vector3.UnitZ; // what a lost neutral up looked like: the neutral stance reads 40° in the frame
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(offNeutral, out int segment));
            Assert.Equal(1, segment);

            BodyCalibration nan = Consistent();
            nan.Segments[2].SegmentToSensor = new Quaternion(float.NaN, 0f, 0f, 0f);
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(nan, out segment));
            Assert.Equal(2, segment);

            BodyCalibration notUnit = Consistent();
            notUnit.Segments[0].SegmentToSensor = new Quaternion(0.5f, 0f, 0f, 0f);
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(notUnit, out _));

            BodyCalibration hingeWithoutNeutral = Consistent();
            hingeWithoutNeutral.Segments[0].HasNeutral = false;
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(hingeWithoutNeutral, out _));

            BodyCalibration rangeWithoutHinge = Consistent();
            rangeWithoutHinge.Segments[2].HasHinge = false;
            rangeWithoutHinge.HasRange = true;
            rangeWithoutHinge.RangeTrunkFlexionDeg = 60f;
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(rangeWithoutHinge, out segment));
            Assert.Equal(-1, segment);
        }

        [Fact]
        public void A_neutral_only_calibration_keeps_its_neutral_up_through_the_record()
        {
            // Format-1 records derived the neutral up from the rotation: identity for a neutral-only
            // segment, i.e. straight up in the sensor frame whatever the stance was.
            var cal = new BodyCalibration();
            var up = new Vector3(0.1f, -0.7f, 0.7f).Normalized();
            foreach (SegmentCalibration c in cal.Segments)
            {
                c.HasNeutral = true;
                c.NeutralUp = up;
            }
            var buffer = new byte[CalibrationRecord.EncodedLength];
            var w = new ByteWriter(buffer);
            CalibrationRecord.Write(ref w, cal, CalibrationRecord.Version);
            var back = new BodyCalibration();
            var r = new ByteReader(buffer);
            CalibrationRecord.Read(ref r, back, CalibrationRecord.Version);
            foreach (SegmentCalibration c in back.Segments) Assert.InRange(Vector3.Dot(c.NeutralUp, up), 0.99999f, 1.00001f);
            Assert.Equal(CalibrationStatus.Ok, CalibrationCheck.Check(back, out _));
        }
    }
}
