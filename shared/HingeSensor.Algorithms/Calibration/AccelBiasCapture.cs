using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Finds each accelerometer's own offset from the calibration hinge. An MPU6050's zero-g
    /// offset (±50 mg on x and y, ±80 mg on z) is invisible standing still — the neutral capture
    /// takes it for the vertical — but once the segment tilts it reads as a tilt of its own, up to
    /// 2–3° at the bottom of a hinge: it was the largest part of the angle error (default suite,
    /// trunk flexion p95 3.0° with it, 1.5° on simulated chips without it). While the sensor turns,
    /// the gyro integral R tells how gravity must move in the sensor frame; an offset does not
    /// move. So the window means are fitted by least squares to a = Rᵀ·G + b, G gravity in the
    /// integrated frame, b the offset.
    /// </summary>
    /// <remarks>
    /// Only the offset's part across the rotation axis can be found (along it R changes nothing);
    /// a ridge keeps that part at zero and shrinks what a shallow rotation cannot tell apart from
    /// the gyro's own scale errors. The sensor's own acceleration is taken out first, as that of a
    /// point r from a fixed pivot (the hip): α × p + ω × (ω × p), p = r·fromHip, with α from the
    /// change of rate between windows. Both parts matter: the centripetal one never integrates
    /// away (it is as large as the offset itself at the upper back in a 2.4 s hinge), and taking
    /// it out alone leaves the tangential one, whose sum in the integrated frame only vanishes
    /// together with it (a 0.3 m/s² error on an exact synthetic hinge).
    /// Eliminating G leaves three equations: (n·(1 + ridge)·I − SᵀS/n)·b = Σa − Sᵀ·Σ(R·a)/n, S = Σ R.
    /// Allocated for a hinge capture only: its sums are no use afterwards, and the device's heap is short.
    /// </remarks>
    public sealed class AccelBiasCapture
    {
        // Per sensor: S = Σ R (row major), Σ R·a, Σ a (sensor frame), window count.
        private readonly float[] _s = new float[9 * Segments.Count];
        private readonly float[] _sumI = new float[3 * Segments.Count];
        private readonly float[] _sumA = new float[3 * Segments.Count];
        private readonly int[] _count = new int[Segments.Count];
        // The previous window's rate per sensor, for the angular acceleration.
        private readonly float[] _lastRate = new float[3 * Segments.Count];

        /// <summary>
        /// Adds the last correction window of one sensor's filter, <paramref name="dt"/> seconds
        /// after the previous one; where the hip is, as the unit vector from it to the sensor
        /// (sensor frame) and the distance, m.
        /// </summary>
        public void Add(int segment, OrientationFilter filter, Vector3 fromHip, float radiusM, float dt)
        {
            float w, x, y, z;
            filter.GetIntegrated(out w, out x, out y, out z);
            float r00 = 1f - 2f * (y * y + z * z), r01 = 2f * (x * y - w * z), r02 = 2f * (x * z + w * y);
            float r10 = 2f * (x * y + w * z), r11 = 1f - 2f * (x * x + z * z), r12 = 2f * (y * z - w * x);
            float r20 = 2f * (x * z - w * y), r21 = 2f * (y * z + w * x), r22 = 1f - 2f * (x * x + y * y);
            int o = 9 * segment;
            _s[o] += r00; _s[o + 1] += r01; _s[o + 2] += r02;
            _s[o + 3] += r10; _s[o + 4] += r11; _s[o + 5] += r12;
            _s[o + 6] += r20; _s[o + 7] += r21; _s[o + 8] += r22;
            // The sensor's own acceleration about the hip, α × p + ω × (ω × p), taken out.
            Vector3 rate = filter.LastRate - filter.GyroBias;
            int v = 3 * segment;
            Vector3 alpha = Vector3.Zero;
            if (_count[segment] > 0 && dt > 0f)
                alpha = new Vector3(rate.X - _lastRate[v], rate.Y - _lastRate[v + 1], rate.Z - _lastRate[v + 2]) * (1f / dt);
            _lastRate[v] = rate.X; _lastRate[v + 1] = rate.Y; _lastRate[v + 2] = rate.Z;
            Vector3 p = fromHip * radiusM;
            Vector3 own = Vector3.Cross(alpha, p) + Vector3.Cross(rate, Vector3.Cross(rate, p));
            Vector3 a = filter.LastAccel - own;
            _sumA[v] += a.X; _sumA[v + 1] += a.Y; _sumA[v + 2] += a.Z;
            _sumI[v] += r00 * a.X + r01 * a.Y + r02 * a.Z;
            _sumI[v + 1] += r10 * a.X + r11 * a.Y + r12 * a.Z;
            _sumI[v + 2] += r20 * a.X + r21 * a.Y + r22 * a.Z;
            _count[segment]++;
        }

        /// <summary>
        /// The offset the capture shows, m/s², sensor frame, on top of what the filter already
        /// removed; zero when there was too little to go on. <paramref name="ridge"/> is the
        /// shrinkage, as a share of the window count.
        /// </summary>
        public Vector3 Solve(int segment, float ridge)
        {
            int n = _count[segment];
            if (n < 10) return Vector3.Zero;
            int o = 9 * segment, v = 3 * segment;
            float inv = 1f / n;
            float[] s = _s;
            // SᵀS (symmetric), then M = n·(1 + ridge)·I − SᵀS/n.
            float m00 = 0f, m01 = 0f, m02 = 0f, m11 = 0f, m12 = 0f, m22 = 0f;
            for (int k = 0; k < 3; k++)
            {
                float c0 = s[o + 3 * k], c1 = s[o + 3 * k + 1], c2 = s[o + 3 * k + 2];
                m00 += c0 * c0; m01 += c0 * c1; m02 += c0 * c2;
                m11 += c1 * c1; m12 += c1 * c2; m22 += c2 * c2;
            }
            float d = n * (1f + ridge);
            m00 = d - m00 * inv; m11 = d - m11 * inv; m22 = d - m22 * inv;
            m01 = -m01 * inv; m02 = -m02 * inv; m12 = -m12 * inv;
            // The right-hand side Σa − Sᵀ·Σ(R·a)/n.
            float ix = _sumI[v] * inv, iy = _sumI[v + 1] * inv, iz = _sumI[v + 2] * inv;
            float q0 = _sumA[v] - (s[o] * ix + s[o + 3] * iy + s[o + 6] * iz);
            float q1 = _sumA[v + 1] - (s[o + 1] * ix + s[o + 4] * iy + s[o + 7] * iz);
            float q2 = _sumA[v + 2] - (s[o + 2] * ix + s[o + 5] * iy + s[o + 8] * iz);
            // By the adjugate: M is symmetric positive definite once the ridge is in.
            float a00 = m11 * m22 - m12 * m12, a01 = m02 * m12 - m01 * m22, a02 = m01 * m12 - m02 * m11;
            float a11 = m00 * m22 - m02 * m02, a12 = m01 * m02 - m00 * m12, a22 = m00 * m11 - m01 * m01;
            float det = m00 * a00 + m01 * a01 + m02 * a02;
            if (!(det > 0f)) return Vector3.Zero;
            float id = 1f / det;
            return new Vector3((a00 * q0 + a01 * q1 + a02 * q2) * id, (a01 * q0 + a11 * q1 + a12 * q2) * id, (a02 * q0 + a12 * q1 + a22 * q2) * id);
        }
    }
}
