using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Host.Benchmarks
{
    /// <summary>
    /// The classic Madgwick IMU (6-D) gradient-descent update in float: the baseline the issue
    /// measures our filter's cost against. Benchmark only, never used by the product.
    /// </summary>
    public sealed class MadgwickFilter
    {
        private float _q0 = 1f, _q1, _q2, _q3;
        private readonly float _beta;

        public MadgwickFilter(float beta = 0.1f) { _beta = beta; }

        public Quaternion Orientation => new Quaternion(_q0, _q1, _q2, _q3);

        public void Update(Vector3 gyr, Vector3 acc, float dt)
        {
            float q0 = _q0, q1 = _q1, q2 = _q2, q3 = _q3;
            float qDot1 = 0.5f * (-q1 * gyr.X - q2 * gyr.Y - q3 * gyr.Z);
            float qDot2 = 0.5f * (q0 * gyr.X + q2 * gyr.Z - q3 * gyr.Y);
            float qDot3 = 0.5f * (q0 * gyr.Y - q1 * gyr.Z + q3 * gyr.X);
            float qDot4 = 0.5f * (q0 * gyr.Z + q1 * gyr.Y - q2 * gyr.X);

            float ax = acc.X, ay = acc.Y, az = acc.Z;
            float n2 = ax * ax + ay * ay + az * az;
            if (n2 > 0f)
            {
                float inv = 1f / FloatSqrt(n2);
                ax *= inv; ay *= inv; az *= inv;
                float _2q0 = 2f * q0, _2q1 = 2f * q1, _2q2 = 2f * q2, _2q3 = 2f * q3;
                float _4q0 = 4f * q0, _4q1 = 4f * q1, _4q2 = 4f * q2, _8q1 = 8f * q1, _8q2 = 8f * q2;
                float q0q0 = q0 * q0, q1q1 = q1 * q1, q2q2 = q2 * q2, q3q3 = q3 * q3;
                float s0 = _4q0 * q2q2 + _2q2 * ax + _4q0 * q1q1 - _2q1 * ay;
                float s1 = _4q1 * q3q3 - _2q3 * ax + 4f * q0q0 * q1 - _2q0 * ay - _4q1 + _8q1 * q1q1 + _8q1 * q2q2 + _4q1 * az;
                float s2 = 4f * q0q0 * q2 + _2q0 * ax + _4q2 * q3q3 - _2q3 * ay - _4q2 + _8q2 * q1q1 + _8q2 * q2q2 + _4q2 * az;
                float s3 = 4f * q1q1 * q3 - _2q1 * ax + 4f * q2q2 * q3 - _2q2 * ay;
                float sn = s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
                if (sn > 0f)
                {
                    float sinv = 1f / FloatSqrt(sn);
                    qDot1 -= _beta * s0 * sinv;
                    qDot2 -= _beta * s1 * sinv;
                    qDot3 -= _beta * s2 * sinv;
                    qDot4 -= _beta * s3 * sinv;
                }
            }
            q0 += qDot1 * dt; q1 += qDot2 * dt; q2 += qDot3 * dt; q3 += qDot4 * dt;
            float qinv = 1f / FloatSqrt(q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3);
            _q0 = q0 * qinv; _q1 = q1 * qinv; _q2 = q2 * qinv; _q3 = q3 * qinv;
        }

        // Same door to the math library as our filter uses (System.Math, double), for a fair count.
        private static float FloatSqrt(float x) => (float)System.Math.Sqrt(x);
    }
}
