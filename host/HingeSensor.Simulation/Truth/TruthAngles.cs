using System;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Truth
{
    /// <summary>
    /// The true posture by the product's angle definitions (see README, "Posture metrics"), from
    /// the body's segment orientations: each sensor segment's sagittal and lateral inclination
    /// relative to its neutral standing orientation, and the relative angles between them. Degrees.
    /// </summary>
    public readonly record struct TruthAngles(double HeadSag, double HeadLat, double UpperSag, double UpperLat, double SacrumSag, double SacrumLat)
    {
        /// <summary>Upper back minus sacrum (rounding +).</summary>
        public double TrunkFlexion => Wrap(UpperSag - SacrumSag);

        /// <summary>Head minus upper back (chin drop +, head up −).</summary>
        public double HeadFlexion => Wrap(HeadSag - UpperSag);

        public double Torso => UpperSag;
        public double Hinge => SacrumSag;

        private static double Wrap(double a) => a > 180 ? a - 360 : a < -180 ? a + 360 : a;

        /// <summary>
        /// Sagittal θ = atan2(−x, z) and lateral φ = asin(y) of "up" in the segment's neutral frame:
        /// up = R0ᵀ-relative, i.e. R0 · R(t)ᵀ · e_z with R0 the segment's orientation standing
        /// neutral, heading zero. Any heading of the body cancels.
        /// </summary>
        public static (double Sag, double Lat) Of(Mat3 neutral, Mat3 now)
        {
            Vec3 upInSegment = now.TransposeTimes(Vec3.UnitZ);
            Vec3 up = neutral * upInSegment;
            double sag = Math.Atan2(-up.X, up.Z) * 180 / Math.PI;
            double lat = Math.Asin(Math.Clamp(up.Y, -1, 1)) * 180 / Math.PI;
            return (sag, lat);
        }

        public static TruthAngles From(Skeleton now, Mat3 headNeutral, Mat3 upperNeutral, Mat3 sacrumNeutral)
        {
            var h = Of(headNeutral, now[BodySegment.Head].R);
            var u = Of(upperNeutral, now[BodySegment.UpperThorax].R);
            var s = Of(sacrumNeutral, now[BodySegment.Pelvis].R);
            return new TruthAngles(h.Sag, h.Lat, u.Sag, u.Lat, s.Sag, s.Lat);
        }
    }
}
