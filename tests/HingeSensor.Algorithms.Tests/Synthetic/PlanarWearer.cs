using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>
    /// A wearer for the activity context: a <see cref="Timeline"/> of poses plus where the sacrum
    /// is (height over standing, m), both as smooth pieces. The accelerometers feel the sacrum's
    /// vertical acceleration (the second derivative of the height) on top of gravity; every sensor
    /// is strapped on at a random rotation and carries noise and a gyro bias, so the classifier
    /// sees what fusion gives it, not the truth.
    /// </summary>
    public sealed class PlanarWearer
    {
        private readonly Timeline _poses = new Timeline().AddCalibration();
        private readonly List<(double Start, double Duration, double From, double To, double KneeDeg)> _moves = new();
        private double _height;

        public double Duration => _poses.Duration;

        /// <summary>Holds a pose for a while at the current height.</summary>
        public PlanarWearer Hold(double duration, Pose pose)
        {
            _poses.Hold(duration, pose);
            return this;
        }

        /// <summary>
        /// A movement of <paramref name="duration"/> s: poses from <paramref name="pose"/>(s), the
        /// sacrum going to <paramref name="toHeight"/> (m over standing) over [riseStart, riseEnd] of it.
        /// </summary>
        public PlanarWearer Move(double duration, Func<double, Pose> pose, double toHeight = double.NaN, double riseStart = 0, double riseEnd = double.NaN)
        {
            double start = _poses.Duration;
            _poses.Add(duration, pose);
            if (!double.IsNaN(toHeight))
            {
                double end = double.IsNaN(riseEnd) ? duration : riseEnd;
                _moves.Add((start + riseStart, end - riseStart, _height, toHeight, 0));
                _height = toHeight;
            }
            return this;
        }

        /// <summary>
        /// A rep: down over <paramref name="down"/> s, held, up; the sacrum down by <paramref name="dropM"/> and back with the torso.
        /// With <paramref name="kneeDeg"/> &gt; 0 the drop follows knees that bend that far in step with
        /// the torso (as 1 − cos of the knee angle: little at first, most of it as the knees pass 30–60°),
        /// else it follows the torso's progress.
        /// </summary>
        public PlanarWearer Rep(double down, double hold, double up, double rest, Func<double, Pose> pose, double dropM, double kneeDeg = 0)
        {
            double start = _poses.Duration;
            _poses.Add(down + hold + up, pose);
            if (dropM != 0)
            {
                _moves.Add((start, down, _height, _height - dropM, kneeDeg));
                _moves.Add((start + down + hold, up, _height - dropM, _height, kneeDeg));
            }
            _poses.Hold(rest, default);
            return this;
        }

        public Pose PoseAt(double t) => _poses.At(t);

        /// <summary>The sacrum's height over standing, m.</summary>
        public double HeightAt(double t)
        {
            double h = 0;
            foreach (var m in _moves)
            {
                if (t <= m.Start) break;
                double u = Timeline.Ramp(t, m.Start, m.Start + m.Duration);
                if (m.KneeDeg > 0)
                {
                    // Going down the knees bend from 0 to KneeDeg; coming up they straighten.
                    double k = m.KneeDeg * Math.PI / 180, knee = m.To < m.From ? u * k : (1 - u) * k;
                    double bent = (1 - Math.Cos(knee)) / (1 - Math.Cos(k));
                    u = m.To < m.From ? bent : 1 - bent;
                }
                h = m.From + (m.To - m.From) * u;
            }
            return h;
        }

        /// <summary>
        /// The sensor frames; <paramref name="biasMps2"/> is added to the sacrum's vertical
        /// acceleration from <paramref name="biasFromS"/> on (a bias the standing still moments
        /// before it cannot take out, as a sensor-frame bias projected anew by a tilting pelvis).
        /// </summary>
        public IEnumerable<SensorFrame> Frames(int seed = 5, double biasMps2 = 0, double biasFromS = 0)
        {
            var rng = new Random(seed);
            var imu = new SyntheticImu(new[] { SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng) }, seed)
            {
                GyroNoiseDps = 0.1,
                AccelNoise = 0.03,
                // The sacrum moves as the height model says (its drop is what these tests are about);
                // the upper back and the head swing about the hip on top of it.
                HipToSensor = new[] { new Vector3(-0.05f, 0f, 0.68f), new Vector3(-0.05f, 0f, 0.40f), Vector3.Zero },
                LinearAccelEarth = (t, _) =>
                {
                    const double e = 1e-3;
                    double a = (HeightAt(t + e) - 2 * HeightAt(t) + HeightAt(t - e)) / (e * e);
                    if (t >= biasFromS) a += biasMps2;
                    return new Vector3(0, 0, (float)a);
                },
            };
            return imu.Generate(PoseAt, 0, Duration);
        }
    }
}
