using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Motion;
using HingeSensor.Simulation.Sensors;

namespace HingeSensor.Simulation
{
    /// <summary>What a perfect sensor at a site feels at one instant, and where it is.</summary>
    public readonly record struct SensorTruth(Vec3 SpecificForce, Vec3 Rate, Mat3 SensorToWorld, Vec3 Position, Vec3 Velocity, Vec3 Acceleration);

    /// <summary>
    /// The body in motion: evaluates the joint trajectories, the kinematic chain, and for each
    /// sensor site the specific force (the site's linear acceleration minus gravity, i.e. plus
    /// "up" 9.81 m/s²) and angular rate, both in the sensor's own frame.
    /// </summary>
    public sealed class WearerPhysics
    {
        public const double Gravity = 9.81;

        private readonly Channel[] _channels;
        private readonly Skeleton _skeleton;
        private readonly SensorSite[] _sites;
        private readonly Kin[] _q = new Kin[Dofs.Count];

        public WearerPhysics(Channel[] channels, Anthropometry body, SensorSite[] sites)
        {
            _channels = channels;
            _skeleton = new Skeleton(body);
            _sites = sites;
        }

        public Skeleton Skeleton => _skeleton;
        public SensorSite[] Sites => _sites;

        /// <summary>Evaluates the body at time t (t must not decrease) and fills the truth of the three sensors.</summary>
        public void Tick(double t, SensorTruth[] into)
        {
            for (int i = 0; i < _q.Length; i++) _q[i] = _channels[i].At(t);
            _skeleton.Evaluate(_q);
            for (int i = 0; i < _sites.Length; i++) into[i] = Feel(_sites[i]);
        }

        private SensorTruth Feel(SensorSite site)
        {
            SegmentState seg = _skeleton[site.Segment];
            var (p, v, a) = seg.Point(site.Point);
            Mat3 sensorToWorld = seg.R * site.SensorToSegment;
            Vec3 f = sensorToWorld.TransposeTimes(a + new Vec3(0, 0, Gravity));
            Vec3 w = sensorToWorld.TransposeTimes(seg.Omega);
            return new SensorTruth(f, w, sensorToWorld, p, v, a);
        }

        /// <summary>Each segment's orientation standing in the person's neutral posture, heading zero.</summary>
        public static Mat3[] NeutralOrientations(Person person, Anthropometry body)
        {
            var channels = new Channel[Dofs.Count];
            for (int i = 0; i < channels.Length; i++) channels[i] = new Channel();
            double[] n = person.NeutralFlexions();
            channels[(int)Dof.HipFlex] = new Channel(n[0]);
            channels[(int)Dof.L5Flex] = new Channel(n[1]);
            channels[(int)Dof.T12Flex] = new Channel(n[2]);
            channels[(int)Dof.T7Flex] = new Channel(n[3]);
            channels[(int)Dof.C7Flex] = new Channel(n[4]);
            channels[(int)Dof.C0Flex] = new Channel(n[5]);
            var q = new Kin[Dofs.Count];
            for (int i = 0; i < q.Length; i++) q[i] = channels[i].At(0);
            var sk = new Skeleton(body);
            sk.Evaluate(q);
            var r = new Mat3[BodySegments.Count];
            for (int i = 0; i < r.Length; i++) r[i] = sk[(BodySegment)i].R;
            return r;
        }
    }
}
