using HingeSensor.Algorithms.Calibration;

namespace HingeSensor.Algorithms.Protocol
{
    /// <summary>
    /// A body calibration as bytes (session headers, the device's saved calibration): per segment
    /// flags, the segment → sensor rotation (Q15) and its quality figures; then the range.
    /// </summary>
    public static class CalibrationRecord
    {
        // Field by field as Write writes them, so that the length cannot drift from the layout.
        private const int SegmentBytes = 1 + 8 + 2 + 2 + 2; // flags, quat, neutral spread, planarity, axis tilt
        private const int RangeBytes = 1 + 2;              // has-range, range trunk flexion

        /// <summary>Bytes Write writes and Read reads: 48.</summary>
        public const int EncodedLength = 3 * SegmentBytes + RangeBytes;

        public static void Write(ref ByteWriter w, BodyCalibration cal)
        {
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                w.U8((c.HasNeutral ? 1 : 0) | (c.HasHinge ? 2 : 0));
                w.QuaternionQ15(c.SegmentToSensor);
                w.Centidegrees(c.NeutralSpreadDeg);
                w.U16((int)(c.HingePlanarity * 10000f));
                w.Centidegrees(c.HingeAxisTiltDeg);
            }
            w.U8(cal.HasRange ? 1 : 0);
            w.Centidegrees(cal.RangeTrunkFlexionDeg);
        }

        public static void Read(ref ByteReader r, BodyCalibration cal)
        {
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                int flags = r.U8();
                c.HasNeutral = (flags & 1) != 0;
                c.HasHinge = (flags & 2) != 0;
                c.SegmentToSensor = r.QuaternionQ15().Normalized();
                // The neutral vertical is the segment's z seen from the sensor.
                c.NeutralUp = c.SegmentToSensor.Rotate(Numerics.Vector3.UnitZ);
                c.NeutralSpreadDeg = r.Centidegrees();
                c.HingePlanarity = r.U16() / 10000f;
                c.HingeAxisTiltDeg = r.Centidegrees();
            }
            cal.HasRange = r.U8() != 0;
            cal.RangeTrunkFlexionDeg = r.Centidegrees();
        }
    }
}
