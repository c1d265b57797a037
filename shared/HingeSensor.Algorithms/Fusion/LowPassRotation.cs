namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// Two-stage first-order low-pass of a rotation matrix, the same filter the accelerometer goes
    /// through, so that the two carry the same lag. The mean of rotation matrices is not a
    /// rotation: it shrinks where the orientation changed during the window, which is exactly the
    /// loss of information the bias estimate should see.
    /// </summary>
    /// <remarks>Nine named entries per stage instead of arrays and a helper: on the interpreter
    /// every call and every array bounds check in the per-sample path costs.</remarks>
    public sealed class LowPassRotation
    {
        private float _a00, _a01, _a02, _a10, _a11, _a12, _a20, _a21, _a22; // stage 1
        private float _b00, _b01, _b02, _b10, _b11, _b12, _b20, _b21, _b22; // stage 2 (the output)
        private bool _initialized;

        public void Reset() { _initialized = false; }

        /// <summary>Feeds the rotation of unit quaternion (w, x, y, z).</summary>
        public void Update(float w, float x, float y, float z, float alpha)
        {
            float xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z;
            float m00 = 1f - 2f * (yy + zz), m01 = 2f * (xy - wz), m02 = 2f * (xz + wy);
            float m10 = 2f * (xy + wz), m11 = 1f - 2f * (xx + zz), m12 = 2f * (yz - wx);
            float m20 = 2f * (xz - wy), m21 = 2f * (yz + wx), m22 = 1f - 2f * (xx + yy);
            if (!_initialized)
            {
                _a00 = _b00 = m00; _a01 = _b01 = m01; _a02 = _b02 = m02;
                _a10 = _b10 = m10; _a11 = _b11 = m11; _a12 = _b12 = m12;
                _a20 = _b20 = m20; _a21 = _b21 = m21; _a22 = _b22 = m22;
                _initialized = true;
                return;
            }
            _a00 += alpha * (m00 - _a00); _b00 += alpha * (_a00 - _b00);
            _a01 += alpha * (m01 - _a01); _b01 += alpha * (_a01 - _b01);
            _a02 += alpha * (m02 - _a02); _b02 += alpha * (_a02 - _b02);
            _a10 += alpha * (m10 - _a10); _b10 += alpha * (_a10 - _b10);
            _a11 += alpha * (m11 - _a11); _b11 += alpha * (_a11 - _b11);
            _a12 += alpha * (m12 - _a12); _b12 += alpha * (_a12 - _b12);
            _a20 += alpha * (m20 - _a20); _b20 += alpha * (_a20 - _b20);
            _a21 += alpha * (m21 - _a21); _b21 += alpha * (_a21 - _b21);
            _a22 += alpha * (m22 - _a22); _b22 += alpha * (_a22 - _b22);
        }

        /// <summary>The filtered matrix transposed, applied to (x, y, z) (maps the rotated frame back).</summary>
        public void TransposeTimes(float x, float y, float z, out float rx, out float ry, out float rz)
        {
            rx = _b00 * x + _b10 * y + _b20 * z;
            ry = _b01 * x + _b11 * y + _b21 * z;
            rz = _b02 * x + _b12 * y + _b22 * z;
        }
    }
}
