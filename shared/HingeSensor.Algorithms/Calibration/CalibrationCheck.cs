using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Whether a calibration can be believed before it is put in force, saved or restored: a
    /// calibration that would give impossible angles is refused, never reported ok. Not on the
    /// per-sample path (once per capture, once at boot).
    /// </summary>
    public static class CalibrationCheck
    {
        /// <summary>How far the neutral up may sit from the segment frame's z: Q15 storage costs ~0.01°.</summary>
        public const float MaxNeutralOffsetDeg = 2f;

        private const float UnitTolerance = 0.01f;

        /// <summary>
        /// Largest accelerometer offset believed, m/s²: the MPU6050's zero-g tolerance is ±80 mg
        /// (0.78 m/s²) at worst; an offset twice that is a capture gone wrong, not the chip.
        /// </summary>
        public const float MaxAccelBias = 1.6f;

        /// <summary>Ok, or <see cref="CalibrationStatus.Inconsistent"/> with the first segment at fault (−1: the range).</summary>
        public static CalibrationStatus Check(BodyCalibration cal, out int segment)
        {
            float minCos = FloatMath.Cos(MaxNeutralOffsetDeg / FloatMath.DegPerRad);
            for (int s = 0; s < cal.Segments.Length; s++)
            {
                segment = s;
                SegmentCalibration c = cal.Segments[s];
                if (c.HasHinge && !c.HasNeutral) return CalibrationStatus.Inconsistent;
                if (!FloatMath.IsFinite(c.NeutralSpreadDeg) || !FloatMath.IsFinite(c.HingePlanarity) || !FloatMath.IsFinite(c.HingeAxisTiltDeg))
                    return CalibrationStatus.Inconsistent;
                if (c.HasNeutral && !IsUnit(c.NeutralUp)) return CalibrationStatus.Inconsistent;
                Vector3 b = c.AccelBias;
                if (!b.IsFinite || b.Length > MaxAccelBias) return CalibrationStatus.Inconsistent;
                if (!c.HasHinge) continue;
                Quaternion q = c.SegmentToSensor;
                if (!q.IsFinite || FloatMath.Abs(q.Norm - 1f) > UnitTolerance) return CalibrationStatus.Inconsistent;
                // Standing in the neutral stance must read 0° in the segment frame: its z is the neutral up.
                if (Vector3.Dot(q.Rotate(Vector3.UnitZ), c.NeutralUp) < minCos) return CalibrationStatus.Inconsistent;
            }
            segment = -1;
            if (cal.HasRange && (!cal.IsComplete || !FloatMath.IsFinite(cal.RangeTrunkFlexionDeg) || cal.RangeTrunkFlexionDeg <= 0f || cal.RangeTrunkFlexionDeg > 180f))
                return CalibrationStatus.Inconsistent;
            return CalibrationStatus.Ok;
        }

        private static bool IsUnit(Vector3 v) { return v.IsFinite && FloatMath.Abs(v.Length - 1f) <= UnitTolerance; }
    }
}
