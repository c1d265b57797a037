using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// Madgwick's gradient-descent orientation filter, IMU (6-D) form, in float: the baseline our
    /// filter's cost and accuracy are compared with. Benchmark only, never used by the product.
    /// </summary>
    /// <remarks>
    /// Written from the equations of S. O. H. Madgwick, "An efficient orientation filter for
    /// inertial and inertial/magnetic sensor arrays", internal report, University of Bristol, 2010
    /// (§3.1–3.3): the rate of change of the orientation from the gyroscope, q̇_ω = ½ q ⊗ (0, ω)
    /// (eq. 11–12); the objective function that compares gravity predicted by q with the measured
    /// direction, f_g(q, â) (eq. 25), and its Jacobian J_g (eq. 26); one gradient-descent step per
    /// sample, ∇f = J_gᵀ f_g (eq. 20), normalised; and the fused rate q̇ = q̇_ω − β ∇f / ‖∇f‖
    /// (eq. 42–44), integrated over dt and normalised. Notation here: q = (w, x, y, z), sensor →
    /// Earth, Earth z up, as everywhere in the project.
    /// </remarks>
    public sealed class MadgwickFilter
    {
        private float _w = 1f, _x, _y, _z;
        private readonly float _beta;

        /// <param name="beta">Gain of the gradient step, rad/s (the report's β; 0.1 is the usual default).</param>
        public MadgwickFilter(float beta = 0.1f) { _beta = beta; }

        public Quaternion Orientation => new Quaternion(_w, _x, _y, _z);

        public void Update(Vector3 gyr, Vector3 acc, float dt)
        {
            float w = _w, x = _x, y = _y, z = _z;

            // Gyroscope: q̇_ω = ½ q ⊗ (0, ω).
            float dw = 0.5f * (-x * gyr.X - y * gyr.Y - z * gyr.Z);
            float dx = 0.5f * (w * gyr.X + y * gyr.Z - z * gyr.Y);
            float dy = 0.5f * (w * gyr.Y - x * gyr.Z + z * gyr.X);
            float dz = 0.5f * (w * gyr.Z + x * gyr.Y - y * gyr.X);

            float norm = acc.Length;
            if (norm > 0f)
            {
                float ax = acc.X / norm, ay = acc.Y / norm, az = acc.Z / norm;

                // f_g: gravity (Earth z) seen in the sensor frame by q, minus the measured direction.
                float f1 = 2f * (x * z - w * y) - ax;
                float f2 = 2f * (w * x + y * z) - ay;
                float f3 = 2f * (0.5f - x * x - y * y) - az;

                // ∇f = J_gᵀ f_g, with the rows of J_g: (−2y, 2z, −2w, 2x), (2x, 2w, 2z, 2y), (0, −4x, −4y, 0).
                float gw = -2f * y * f1 + 2f * x * f2;
                float gx = 2f * z * f1 + 2f * w * f2 - 4f * x * f3;
                float gy = -2f * w * f1 + 2f * z * f2 - 4f * y * f3;
                float gz = 2f * x * f1 + 2f * y * f2;

                float gnorm = (float)System.Math.Sqrt(gw * gw + gx * gx + gy * gy + gz * gz);
                if (gnorm > 0f)
                {
                    float k = _beta / gnorm;
                    dw -= k * gw;
                    dx -= k * gx;
                    dy -= k * gy;
                    dz -= k * gz;
                }
            }

            w += dw * dt;
            x += dx * dt;
            y += dy * dt;
            z += dz * dt;
            float qn = (float)System.Math.Sqrt(w * w + x * x + y * y + z * z);
            _w = w / qn;
            _x = x / qn;
            _y = y / qn;
            _z = z / qn;
        }
    }
}
