using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Motion;

namespace HingeSensor.Simulation.Body
{
    /// <summary>
    /// Forward kinematics of the chain feet → shank → thigh → pelvis → lumbar → lower thorax →
    /// upper thorax → neck → head, with analytic angular velocities and accelerations and the
    /// linear accelerations of every joint (recursive rigid-body kinematics). Nothing here is
    /// differentiated numerically, so the tests can check it against finite differences.
    /// </summary>
    public sealed class Skeleton
    {
        private static readonly Vec3 Ex = Vec3.UnitX, Ey = Vec3.UnitY, Ez = Vec3.UnitZ;
        private readonly Anthropometry _body;
        private readonly SegmentState[] _states = new SegmentState[BodySegments.Count];

        public Skeleton(Anthropometry body) { _body = body; }

        public Anthropometry Body => _body;

        public SegmentState this[BodySegment s] => _states[(int)s];

        /// <summary>Evaluates every segment from the coordinates (value, rate, acceleration per <see cref="Dof"/>).</summary>
        public void Evaluate(Kin[] q)
        {
            // Root joint: world → shank = Rz(heading) · Ry(ankle flex) · Rx(ankle lat), at the ankles.
            var root = new SegmentState
            {
                R = Mat3.Identity,
                Position = new Vec3(q[(int)Dof.RootX].Value, q[(int)Dof.RootY].Value, _body.AnkleHeightM + q[(int)Dof.RootZ].Value),
                Velocity = new Vec3(q[(int)Dof.RootX].Rate, q[(int)Dof.RootY].Rate, q[(int)Dof.RootZ].Rate),
                Acceleration = new Vec3(q[(int)Dof.RootX].Accel, q[(int)Dof.RootY].Accel, q[(int)Dof.RootZ].Accel),
            };
            var shank = Joint(root, Vec3.Zero, Ez, q[(int)Dof.Heading], Ey, q[(int)Dof.AnkleFlex], Ex, q[(int)Dof.AnkleLat]);
            var thigh = Joint(shank, _body.Vectors[0], Ey, q[(int)Dof.KneeFlex] * -1, Ex, Kin.Zero, Ez, Kin.Zero);
            var pelvis = Joint(thigh, _body.Vectors[1], Ey, q[(int)Dof.HipFlex], Ex, q[(int)Dof.HipLat], Ez, q[(int)Dof.HipTwist]);
            var lumbar = Joint(pelvis, _body.Vectors[2], Ey, q[(int)Dof.L5Flex], Ex, q[(int)Dof.L5Lat], Ez, q[(int)Dof.L5Twist]);
            var lower = Joint(lumbar, _body.Vectors[3], Ey, q[(int)Dof.T12Flex], Ex, q[(int)Dof.T12Lat], Ez, q[(int)Dof.T12Twist]);
            var upper = Joint(lower, _body.Vectors[4], Ey, q[(int)Dof.T7Flex], Ex, q[(int)Dof.T7Lat], Ez, q[(int)Dof.T7Twist]);
            var neck = Joint(upper, _body.Vectors[5], Ey, q[(int)Dof.C7Flex], Ex, q[(int)Dof.C7Lat], Ez, q[(int)Dof.C7Twist]);
            var head = Joint(neck, _body.Vectors[6], Ey, q[(int)Dof.C0Flex], Ex, q[(int)Dof.C0Lat], Ez, q[(int)Dof.C0Twist]);
            _states[(int)BodySegment.Shank] = shank;
            _states[(int)BodySegment.Thigh] = thigh;
            _states[(int)BodySegment.Pelvis] = pelvis;
            _states[(int)BodySegment.Lumbar] = lumbar;
            _states[(int)BodySegment.LowerThorax] = lower;
            _states[(int)BodySegment.UpperThorax] = upper;
            _states[(int)BodySegment.Neck] = neck;
            _states[(int)BodySegment.Head] = head;
        }

        /// <summary>
        /// A child segment hinged to the parent at the parent-frame point <paramref name="offset"/>
        /// through three elementary rotations A1(q1)·A2(q2)·A3(q3) about e1, e2, e3.
        /// Relative rate in the parent frame: w = q̇1 e1 + q̇2 A1e2 + q̇3 A1A2e3; its derivative picks
        /// up q̇k (w_before × axis_k) as each axis is carried by the rotations before it.
        /// </summary>
        private static SegmentState Joint(SegmentState parent, Vec3 offset, Vec3 e1, Kin q1, Vec3 e2, Kin q2, Vec3 e3, Kin q3)
        {
            Mat3 p = Mat3.Identity;
            Vec3 w = Vec3.Zero, wd = Vec3.Zero;
            Accumulate(ref p, ref w, ref wd, e1, q1);
            Accumulate(ref p, ref w, ref wd, e2, q2);
            Accumulate(ref p, ref w, ref wd, e3, q3);

            Vec3 wWorld = parent.R * w;
            Vec3 r = parent.R * offset;
            var (pos, vel, acc) = parent.Point(offset);
            return new SegmentState
            {
                R = parent.R * p,
                Omega = parent.Omega + wWorld,
                Alpha = parent.Alpha + Vec3.Cross(parent.Omega, wWorld) + parent.R * wd,
                Position = pos,
                Velocity = vel,
                Acceleration = acc,
            };
        }

        private static void Accumulate(ref Mat3 p, ref Vec3 w, ref Vec3 wd, Vec3 axis, Kin q)
        {
            Vec3 a = p * axis;
            wd = wd + a * q.Accel + Vec3.Cross(w, a) * q.Rate;
            w = w + a * q.Rate;
            // The elementary axes are unit x, y or z: the matching rotation is cheaper than Rodrigues.
            Mat3 step = axis.X != 0 ? Mat3.RotX(q.Value) : axis.Y != 0 ? Mat3.RotY(q.Value) : Mat3.RotZ(q.Value);
            p = p * step;
        }
    }
}
