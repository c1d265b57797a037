using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Body
{
    /// <summary>
    /// A rigid segment at one instant, world frame: orientation (segment → world), angular velocity
    /// and acceleration, and the position, velocity and acceleration of its base joint.
    /// </summary>
    public struct SegmentState
    {
        public Mat3 R;
        public Vec3 Omega;
        public Vec3 Alpha;
        public Vec3 Position;
        public Vec3 Velocity;
        public Vec3 Acceleration;

        /// <summary>A point fixed in the segment (segment coordinates): its world position, velocity and acceleration.</summary>
        public (Vec3 P, Vec3 V, Vec3 A) Point(Vec3 local)
        {
            Vec3 r = R * local;
            Vec3 v = Velocity + Vec3.Cross(Omega, r);
            Vec3 a = Acceleration + Vec3.Cross(Alpha, r) + Vec3.Cross(Omega, Vec3.Cross(Omega, r));
            return (Position + r, v, a);
        }
    }
}
