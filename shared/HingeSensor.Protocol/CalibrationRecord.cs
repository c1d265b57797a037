using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Protocol
{
    /// <summary>
    /// A body calibration as bytes (session headers, the device's saved calibration): per segment
    /// the flags, the segment → sensor rotation (Q15), the neutral up (Q15) and the quality
    /// figures; then the range. Version 2 carries each segment's neutral up itself: version 1
    /// derived it from the rotation, which is only right once the hinge step is done, so a
    /// neutral-only calibration came back after a reboot pointing straight up in the sensor frame.
    /// Version 3 adds each accelerometer's offset (the device's own store); session headers keep
    /// version 2, whose readers (host, web app, team server) have no use for it — the frames they
    /// read were computed with it.
    /// </summary>
    public static class CalibrationRecord
    {
        public const int Version = 3;

        // Field by field as Write writes them, so that the length cannot drift from the layout.
        private const int SegmentBytes = 1 + 8 + 6 + 2 + 2 + 2;   // flags, quat, neutral up, neutral spread, planarity, axis tilt
        private const int SegmentBytesV1 = 1 + 8 + 2 + 2 + 2;     // version 1: no neutral up
        private const int AccelBiasBytes = 6;                     // version 3: the offset, mm/s² per axis
        private const int RangeBytes = 1 + 2;                     // has-range, range trunk flexion

        /// <summary>Bytes Write writes and Read reads for version 3: 84.</summary>
        public const int EncodedLength = 3 * (SegmentBytes + AccelBiasBytes) + RangeBytes;

        /// <summary>Version 2 (session format 2): 66.</summary>
        public const int EncodedLengthV2 = 3 * SegmentBytes + RangeBytes;

        /// <summary>Version 1 (session format 1): 48.</summary>
        public const int EncodedLengthV1 = 3 * SegmentBytesV1 + RangeBytes;

        private const float UnitTolerance = 0.01f;

        /// <summary>The length of a record of this version (1–3); 0 for another.</summary>
        public static int EncodedLengthOf(int version)
        {
            return version == 3 ? EncodedLength : version == 2 ? EncodedLengthV2 : version == 1 ? EncodedLengthV1 : 0;
        }

        /// <summary>Writes a record of <paramref name="version"/> 2 or 3.</summary>
        public static void Write(ref ByteWriter w, BodyCalibration cal, int version)
        {
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                w.U8((c.HasNeutral ? 1 : 0) | (c.HasHinge ? 2 : 0));
                w.QuaternionQ15(c.SegmentToSensor);
                w.VectorQ15(c.NeutralUp);
                w.Centidegrees(c.NeutralSpreadDeg);
                w.U16((int)(c.HingePlanarity * 10000f));
                w.Centidegrees(c.HingeAxisTiltDeg);
                if (version >= 3)
                {
                    Vector3 b = c.AccelBias;
                    w.Milli(b.X);
                    w.Milli(b.Y);
                    w.Milli(b.Z);
                }
            }
            w.U8(cal.HasRange ? 1 : 0);
            w.Centidegrees(cal.RangeTrunkFlexionDeg);
        }

        /// <summary>
        /// Reads a record of this version (1, 2 or 3; before 3 the offsets are zero). Rotations and vectors within 1 % of unit length
        /// are made exact; others are left as read, for <see cref="CalibrationCheck"/> to refuse.
        /// </summary>
        public static void Read(ref ByteReader r, BodyCalibration cal, int version)
        {
            for (int s = 0; s < 3; s++)
            {
                SegmentCalibration c = cal.Segments[s];
                int flags = r.U8();
                c.HasNeutral = (flags & 1) != 0;
                c.HasHinge = (flags & 2) != 0;
                Quaternion q = r.QuaternionQ15();
                c.SegmentToSensor = NearUnit(q.Norm) ? q.Normalized() : q;
                if (version >= 2)
                {
                    Vector3 up = r.VectorQ15();
                    c.NeutralUp = NearUnit(up.Length) ? up.Normalized() : up;
                }
                else c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ); // version 1: right once the hinge is done
                c.NeutralSpreadDeg = r.Centidegrees();
                c.HingePlanarity = r.U16() / 10000f;
                c.HingeAxisTiltDeg = r.Centidegrees();
                c.AccelBias = version >= 3 ? new Vector3(r.Milli(), r.Milli(), r.Milli()) : Vector3.Zero;
            }
            cal.HasRange = r.U8() != 0;
            cal.RangeTrunkFlexionDeg = r.Centidegrees();
        }

        private static bool NearUnit(float length) { return length > 1f - UnitTolerance && length < 1f + UnitTolerance; }
    }
}
