using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Posture
{
    /// <summary>
    /// Heading-free tilt of a segment, from where "up" points in the segment's own frame
    /// (x forward, y to the wearer's left, z up at calibrated neutral).
    /// </summary>
    /// <remarks>
    /// Decomposition: the segment first pitches by the sagittal angle about its mediolateral axis,
    /// then the result tilts sideways by the lateral angle. Then up in the segment frame is
    /// (−sinθ·cosφ, sinφ, cosθ·cosφ), so θ = atan2(−x, z) covers the full ±180° a toe touch or an
    /// upside-down head can reach, and φ = asin(y). Only gravity enters, so the heading of the
    /// sensor (unobservable without a magnetometer, drifting per sensor) cannot change either.
    /// </remarks>
    public static class Inclination
    {
        /// <summary>Forward (+) / backward (−) tilt in degrees; + is flexion (top moves anteriorly).</summary>
        public static float SagittalDeg(Vector3 upInSegment) { return SagittalDeg(upInSegment.X, upInSegment.Z); }

        /// <summary>Sagittal tilt from the x and z components of up in the segment frame.</summary>
        public static float SagittalDeg(float upX, float upZ)
        {
            return FloatMath.Atan2(-upX, upZ) * FloatMath.DegPerRad;
        }

        /// <summary>Sideways tilt in degrees; + is the top moving to the wearer's right.</summary>
        public static float LateralDeg(Vector3 upInSegment) { return LateralDeg(upInSegment.Y); }

        /// <summary>Lateral tilt from the y component of up in the segment frame.</summary>
        public static float LateralDeg(float upY)
        {
            return FloatMath.Asin(upY) * FloatMath.DegPerRad;
        }

        /// <summary>Earth's up (+z) seen in the sensor frame, for a sensor → Earth orientation.</summary>
        public static Vector3 UpInSensor(Quaternion sensorToEarth)
        {
            // Third row of the rotation matrix: cheaper than a full inverse rotation.
            Quaternion q = sensorToEarth;
            return new Vector3(
                2f * (q.X * q.Z - q.W * q.Y),
                2f * (q.Y * q.Z + q.W * q.X),
                1f - 2f * (q.X * q.X + q.Y * q.Y));
        }
    }
}
