using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>
    /// Exact IMU readings for a pose trajectory: each segment's orientation from its true angles,
    /// each sensor strapped on with a given rotation, the gyro as the body-frame rotation between
    /// samples, the accelerometer as gravity (plus an optional linear acceleration) in the sensor
    /// frame. It knows nothing of the algorithms it feeds.
    /// </summary>
    public sealed class SyntheticImu
    {
        public const double Gravity = 9.81;

        public double RateHz = 100;
        public double GyroNoiseDps;
        public double AccelNoise;
        public Vector3[] GyroBias = { Vector3.Zero, Vector3.Zero, Vector3.Zero };
        /// <summary>The accelerometers' own offsets, m/s², sensor frame.</summary>
        public Vector3[] AccelBias = { Vector3.Zero, Vector3.Zero, Vector3.Zero };
        public Func<double, int, Vector3>? LinearAccelEarth;
        /// <summary>
        /// Hip joint to each sensor in its segment's frame (x forward, z up), m; zero: the sensor
        /// turns in place. Default: a 175 cm body's (back of the head and T5 above the hip, the
        /// sacrum 7 cm above and 10 cm behind it).
        /// </summary>
        public Vector3[] HipToSensor = { new Vector3(-0.05f, 0f, 0.68f), new Vector3(-0.05f, 0f, 0.40f), new Vector3(-0.10f, 0f, 0.07f) };

        /// <summary>Every sensor turns in place (no acceleration but gravity and <see cref="LinearAccelEarth"/>).</summary>
        public static Vector3[] InPlace() => new[] { Vector3.Zero, Vector3.Zero, Vector3.Zero };
        public readonly Quaternion[] SegmentToSensor;
        private readonly Random _rng;

        public SyntheticImu(Quaternion[] segmentToSensor, int seed = 1)
        {
            SegmentToSensor = segmentToSensor;
            _rng = new Random(seed);
        }

        public static Quaternion[] IdentityMountings() => new[] { Quaternion.Identity, Quaternion.Identity, Quaternion.Identity };

        /// <summary>A uniformly random rotation (includes upside-down straps).</summary>
        public static Quaternion RandomRotation(Random rng)
        {
            double w = Gauss(rng), x = Gauss(rng), y = Gauss(rng), z = Gauss(rng);
            double n = Math.Sqrt(w * w + x * x + y * y + z * z);
            return new Quaternion((float)(w / n), (float)(x / n), (float)(y / n), (float)(z / n)).Normalized();
        }

        public static double Gauss(Random rng)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        /// <summary>Segment → Earth for the given angles (see Inclination's decomposition).</summary>
        public static Quaternion SegmentToEarth(double sagDeg, double latDeg, double headingDeg)
        {
            const double r = Math.PI / 180;
            return Quaternion.FromAxisAngle(Vector3.UnitZ, (float)(headingDeg * r))
                 * Quaternion.FromAxisAngle(Vector3.UnitX, (float)(latDeg * r))
                 * Quaternion.FromAxisAngle(Vector3.UnitY, (float)(sagDeg * r));
        }

        public Quaternion SensorToEarth(Pose p, int segment)
            => SegmentToEarth(p.Sag(segment), p.Lat(segment), p.Heading(segment)) * SegmentToSensor[segment].Conjugate();

        /// <summary>Frames for the trajectory from t0 to t1 (a new frame object per sample).</summary>
        public IEnumerable<SensorFrame> Generate(Func<double, Pose> pose, double t0, double t1)
        {
            double dt = 1.0 / RateHz;
            var prev = new Quaternion[3];
            Pose p0 = pose(t0 - dt);
            for (int s = 0; s < 3; s++) prev[s] = SensorToEarth(p0, s);
            for (long k = 0; ; k++)
            {
                double t = t0 + k * dt;
                if (t > t1 + 1e-9) yield break;
                Pose p = pose(t);
                var frame = new SensorFrame { TimeUs = (long)Math.Round(t * 1e6) };
                for (int s = 0; s < 3; s++)
                {
                    Quaternion q = SensorToEarth(p, s);
                    Quaternion dq = prev[s].Conjugate() * q;
                    if (dq.W < 0) dq = new Quaternion(-dq.W, -dq.X, -dq.Y, -dq.Z);
                    double sinHalf = Math.Sqrt(dq.X * dq.X + dq.Y * dq.Y + dq.Z * dq.Z);
                    double angle = 2 * Math.Atan2(sinHalf, dq.W);
                    double scale = sinHalf < 1e-12 ? 2.0 / dt : angle / sinHalf / dt;
                    var gyro = new Vector3((float)(dq.X * scale), (float)(dq.Y * scale), (float)(dq.Z * scale));
                    Vector3 lin = (LinearAccelEarth?.Invoke(t, s) ?? Vector3.Zero) + Swing(pose, t, s, dt);
                    Vector3 acc = q.RotateInverse(new Vector3(lin.X, lin.Y, (float)(lin.Z + Gravity)));
                    gyro = gyro + GyroBias[s] + Noise(GyroNoiseDps * Math.PI / 180);
                    acc = acc + AccelBias[s] + Noise(AccelNoise);
                    frame.Samples[s].Set(gyro, acc);
                    prev[s] = q;
                }
                yield return frame;
            }
        }

        // The sensor's acceleration as its segment turns about the hip (second difference of its position).
        private Vector3 Swing(Func<double, Pose> pose, double t, int s, double dt)
        {
            Vector3 r = HipToSensor[s];
            if (r.LengthSquared == 0f) return Vector3.Zero;
            double h = dt;
            Vector3 At(double u)
            {
                Pose p = pose(u);
                return SegmentToEarth(p.Sag(s), p.Lat(s), p.Heading(s)).Rotate(r);
            }
            Vector3 a = At(t - h), b = At(t), c = At(t + h);
            return (a - b * 2f + c) * (float)(1.0 / (h * h));
        }

        private Vector3 Noise(double sigma)
        {
            if (sigma <= 0) return Vector3.Zero;
            return new Vector3((float)(sigma * Gauss(_rng)), (float)(sigma * Gauss(_rng)), (float)(sigma * Gauss(_rng)));
        }
    }
}
