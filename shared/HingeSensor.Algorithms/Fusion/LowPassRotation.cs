using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// Two-stage first-order low-pass of a rotation matrix (9 entries), the same filter the
    /// accelerometer goes through, so that the two carry the same lag. The mean of rotation
    /// matrices is not a rotation: it shrinks where the orientation changed during the window,
    /// which is exactly the loss of information the bias estimate should see.
    /// </summary>
    public sealed class LowPassRotation
    {
        private readonly float[] _stage1 = new float[9];
        private readonly float[] _stage2 = new float[9];
        private bool _initialized;

        public void Reset() { _initialized = false; }

        public void Update(Quaternion q, float alpha)
        {
            float w = q.W, x = q.X, y = q.Y, z = q.Z;
            float xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z;
            Step(0, 1f - 2f * (yy + zz), alpha);
            Step(1, 2f * (xy - wz), alpha);
            Step(2, 2f * (xz + wy), alpha);
            Step(3, 2f * (xy + wz), alpha);
            Step(4, 1f - 2f * (xx + zz), alpha);
            Step(5, 2f * (yz - wx), alpha);
            Step(6, 2f * (xz - wy), alpha);
            Step(7, 2f * (yz + wx), alpha);
            Step(8, 1f - 2f * (xx + yy), alpha);
            _initialized = true;
        }

        private void Step(int i, float v, float alpha)
        {
            if (!_initialized)
            {
                _stage1[i] = v;
                _stage2[i] = v;
                return;
            }
            _stage1[i] += alpha * (v - _stage1[i]);
            _stage2[i] += alpha * (_stage1[i] - _stage2[i]);
        }

        /// <summary>The filtered matrix transposed, applied to v (maps the rotated frame back).</summary>
        public Vector3 TransposeTimes(Vector3 v)
        {
            float[] m = _stage2;
            return new Vector3(
                m[0] * v.X + m[3] * v.Y + m[6] * v.Z,
                m[1] * v.X + m[4] * v.Y + m[7] * v.Z,
                m[2] * v.X + m[5] * v.Y + m[8] * v.Z);
        }
    }
}
