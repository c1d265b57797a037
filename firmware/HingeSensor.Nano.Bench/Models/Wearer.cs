namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>
    /// A synthetic wearer, analytic and allocation-free: stands with a slight sway, or does slow
    /// hip hinges (1 s standing, 2 s down, 2 s up) in which the sacrum and the head follow the upper
    /// back. The rounding variant tilts the upper back much further than the sacrum (trunk
    /// flexion 40° at the bottom) and drops the chin (25° of head flexion). Each sensor is strapped
    /// with its axes on the segment's (x forward, y left, z up): a forward tilt is a rotation about +y.
    /// </summary>
    public sealed class Wearer
    {
        public const float Gravity = 9.80665f;
        public const long CycleUs = 5000000;
        private const long StandUs = 1000000;
        private const double RepS = 4.0;
        private const double SwayDeg = 0.3;
        private const double SwayHz = 0.25;

        /// <summary>Standing only, hinges, or hinges with a rounding back and a chin drop.</summary>
        public WearerMotion Motion;

        /// <summary>Pitch (forward tilt from upright, degrees) and its rate (°/s) of a segment at a time.</summary>
        public void Pose(int segment, long timeUs, out float pitchDeg, out float rateDps)
        {
            double t = timeUs / 1e6;
            double w = 2 * System.Math.PI * SwayHz;
            double pitch = SwayDeg * System.Math.Sin(w * t);
            double rate = SwayDeg * w * System.Math.Cos(w * t);
            if (Motion != WearerMotion.Standing)
            {
                long inCycle = timeUs % CycleUs;
                if (inCycle >= StandUs)
                {
                    double u = (inCycle - StandUs) / 1e6;
                    double k = 2 * System.Math.PI / RepS;
                    double depth = 0.5 * (1 - System.Math.Cos(k * u));
                    double depthRate = 0.5 * k * System.Math.Sin(k * u);
                    double gain = Gain(segment);
                    pitch += gain * depth;
                    rate += gain * depthRate;
                }
            }
            pitchDeg = (float)pitch;
            rateDps = (float)rate;
        }

        // Degrees of pitch at the bottom of a rep, per segment (0 head, 1 upper back, 2 sacrum).
        private double Gain(int segment)
        {
            bool rounding = Motion == WearerMotion.RoundingHinges;
            if (segment == 2) return rounding ? 35 : 50;
            if (segment == 1) return rounding ? 75 : 60;
            return rounding ? 100 : 60;
        }
    }

    public enum WearerMotion
    {
        Standing = 0,
        Hinges = 1,
        RoundingHinges = 2,
    }
}
