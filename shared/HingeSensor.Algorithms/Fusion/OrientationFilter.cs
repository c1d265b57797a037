using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// 6-D orientation filter for one IMU: gyroscope strapdown integration, corrected towards the
    /// accelerometer's gravity after that has been low-passed in the gyro-integrated frame, with
    /// gyroscope bias estimated at rest and during motion. The estimate is sensor → Earth (z up);
    /// its heading is arbitrary and drifts, its inclination is what the rest of the code uses.
    /// </summary>
    /// <remarks>
    /// Why this structure: the orientation is split into q = accelQuat · gyroQuat. gyroQuat is the
    /// pure gyro integral, an "almost inertial" frame I in which gravity stands still while linear
    /// accelerations average to zero over a few seconds (velocity is bounded). Low-passing the
    /// accelerometer in I therefore separates gravity from motion far better than a gain on the raw
    /// accelerometer (Madgwick, Mahony); accelQuat is then set each step so that the low-passed
    /// vector points up. The idea follows VQF (Laidig &amp; Seel, 2023); this implementation is our
    /// own, reduced to single precision, first-order filters and a PI-style bias loop so that it
    /// stays cheap in the nanoFramework interpreter.
    /// <para>State is plain float fields updated in place and the per-sample entry point takes and
    /// gives floats: on the interpreter a struct is a heap object and every copy allocates, so the
    /// <see cref="Quaternion"/>/<see cref="Vector3"/> conveniences are for set-up and the host only.</para>
    /// </remarks>
    public sealed class OrientationFilter
    {
        private readonly FusionSettings _settings;
        private readonly float _restGyroThresholdSq;
        private readonly float _restAccelThresholdSq;
        private readonly float _biasLimit;

        // gyroQuat (sensor → I) and accelQuat (I → Earth), scalar first.
        private float _gw, _gx, _gy, _gz;
        private float _aw, _ax, _ay, _az;
        // Their product, the orientation (sensor → Earth), kept current after every update.
        private float _qw, _qx, _qy, _qz;
        private readonly LowPass3 _accelInertial1 = new LowPass3();
        private readonly LowPass3 _accelInertial = new LowPass3();
        private readonly LowPassRotation _gyroRotation = new LowPassRotation();
        private readonly RestDetector _rest = new RestDetector();
        private float _biasX;
        private float _biasY;
        private float _biasZ;
        private float _clipRecoveryLeftS;
        private bool _initialized;
        // What Integrate gathered for the next Correct: sums, counts, total time, clipping.
        private float _winGx, _winGy, _winGz, _winAx, _winAy, _winAz, _winIx, _winIy, _winIz, _winDt;
        private int _winGyroCount, _winAccelCount;
        private bool _winGyroClipped, _winAccelClipped;
        // The means the last Correct used (calibration captures read them).
        private float _meanGx, _meanGy, _meanGz, _meanAx, _meanAy, _meanAz;

        public OrientationFilter() : this(new FusionSettings()) { }

        public OrientationFilter(FusionSettings settings)
        {
            _settings = settings;
            float g = settings.RestGyroThresholdDps * FloatMath.RadPerDeg;
            _restGyroThresholdSq = g * g;
            _restAccelThresholdSq = settings.RestAccelThreshold * settings.RestAccelThreshold;
            _biasLimit = settings.BiasLimitDps * FloatMath.RadPerDeg;
            Reset();
        }

        public FusionSettings Settings { get { return _settings; } }

        /// <summary>Sensor → Earth (z up). Identity until the first usable sample. Allocates on the device: use <see cref="GetOrientation"/> there.</summary>
        public Quaternion Orientation { get { return new Quaternion(_qw, _qx, _qy, _qz); } }

        /// <summary>Sensor → Earth (z up), scalar first. Identity until the first usable sample.</summary>
        public void GetOrientation(out float w, out float x, out float y, out float z)
        {
            w = _qw;
            x = _qx;
            y = _qy;
            z = _qz;
        }

        /// <summary>Estimated gyroscope bias, rad/s, sensor frame.</summary>
        public Vector3 GyroBias { get { return new Vector3(_biasX, _biasY, _biasZ); } }

        public float GyroBiasX { get { return _biasX; } }
        public float GyroBiasY { get { return _biasY; } }
        public float GyroBiasZ { get { return _biasZ; } }

        /// <summary>Whether the last sample was judged to be at rest.</summary>
        public bool IsRest { get { return _rest.IsRest; } }

        /// <summary>Whether a first accelerometer sample has set the initial inclination.</summary>
        public bool IsInitialized { get { return _initialized; } }

        public void Reset()
        {
            _gw = 1f; _gx = 0f; _gy = 0f; _gz = 0f;
            _aw = 1f; _ax = 0f; _ay = 0f; _az = 0f;
            _qw = 1f; _qx = 0f; _qy = 0f; _qz = 0f;
            _accelInertial1.Clear();
            _accelInertial.Clear();
            _gyroRotation.Reset();
            _rest.Reset();
            _biasX = 0f;
            _biasY = 0f;
            _biasZ = 0f;
            _clipRecoveryLeftS = 0f;
            _initialized = false;
            ClearWindow();
            _meanGx = 0f; _meanGy = 0f; _meanGz = 0f;
            _meanAx = 0f; _meanAy = 0f; _meanAz = 0f;
        }

        /// <summary>Sets the gyro bias estimate, rad/s (e.g. one remembered from the last session).</summary>
        public void SetGyroBias(Vector3 bias)
        {
            _biasX = FloatMath.Clamp(bias.X, -_biasLimit, _biasLimit);
            _biasY = FloatMath.Clamp(bias.Y, -_biasLimit, _biasLimit);
            _biasZ = FloatMath.Clamp(bias.Z, -_biasLimit, _biasLimit);
        }

        /// <summary>Host convenience for <see cref="Update(float, float, float, float, float, float, float, bool, bool)"/>.</summary>
        public void Update(Vector3 gyr, Vector3 acc, float dt)
        {
            Update(gyr.X, gyr.Y, gyr.Z, acc.X, acc.Y, acc.Z, dt, false, false);
        }

        /// <summary>
        /// One sample, integrated and corrected at once: <see cref="Integrate"/> then <see cref="Correct"/>.
        /// </summary>
        public void Update(float gx, float gy, float gz, float ax, float ay, float az, float dt, bool gyroClipped, bool accelClipped)
        {
            Integrate(gx, gy, gz, ax, ay, az, dt, gyroClipped, accelClipped);
            Correct();
        }

        /// <summary>
        /// The cheap part of a sample, done for every one: angular rate (gx, gy, gz) in rad/s is
        /// integrated (strapdown), and the specific force (ax, ay, az) in m/s², both in the sensor
        /// frame, is summed for the next <see cref="Correct"/>. <paramref name="dt"/> is the time
        /// since the previous sample, s. A clipped accelerometer is left out of the gravity
        /// estimate; a clipped gyroscope shortens the accelerometer time constant until it has
        /// recovered. Non-finite input or a non-positive dt is ignored.
        /// </summary>
        /// <remarks>Split from the correction so that the device can integrate at the full IMU
        /// rate, which fast motion needs, and correct at a fraction of it, which a gravity estimate
        /// low-passed over seconds does not notice.</remarks>
        public void Integrate(float gx, float gy, float gz, float ax, float ay, float az, float dt, bool gyroClipped, bool accelClipped)
        {
            // One finiteness test for all six: NaN and ±∞ survive the sum (∞ − ∞ is NaN). Finite
            // readings of an IMU are far too small for the sum itself to overflow.
            float sum = gx + gy + gz + ax + ay + az;
            if (!(dt > 0f) || !(sum - sum == 0f)) return;

            if (!_initialized)
            {
                Initialize(ax, ay, az, accelClipped);
                return;
            }

            IntegrateGyro(gx, gy, gz, dt);
            _winGx += gx; _winGy += gy; _winGz += gz;
            _winGyroCount++;
            _winDt += dt;
            if (gyroClipped) _winGyroClipped = true;
            if (accelClipped)
            {
                _winAccelClipped = true;
                return;
            }
            _winAx += ax; _winAy += ay; _winAz += az;
            // ...and into the integrated frame as it is now: summing there is what the low-pass
            // would have seen sample by sample.
            float w = _gw, x = _gx, y = _gy, z = _gz;
            float tx = 2f * (y * az - z * ay);
            float ty = 2f * (z * ax - x * az);
            float tz = 2f * (x * ay - y * ax);
            _winIx += ax + w * tx + (y * tz - z * ty);
            _winIy += ay + w * ty + (z * tx - x * tz);
            _winIz += az + w * tz + (x * ty - y * tx);
            _winAccelCount++;
        }

        /// <summary>
        /// Corrects the inclination with what <see cref="Integrate"/> gathered since the last
        /// correction (the mean of those samples, over their total time): rest detection and the
        /// gyro bias, the accelerometer low-pass in the integrated frame, and the correction
        /// towards it. Nothing happens when nothing was integrated.
        /// </summary>
        public void Correct()
        {
            if (_winGyroCount == 0) return;
            float dt = _winDt;
            float n = 1f / _winGyroCount;
            float gx = _winGx * n, gy = _winGy * n, gz = _winGz * n;
            bool gyroClipped = _winGyroClipped;
            bool accelClipped = _winAccelClipped;
            int accelCount = _winAccelCount;
            float ax = 0f, ay = 0f, az = 0f;
            if (accelCount > 0)
            {
                float na = 1f / accelCount;
                ax = _winAx * na; ay = _winAy * na; az = _winAz * na;
            }
            float ix = _winIx, iy = _winIy, iz = _winIz;
            _meanGx = gx; _meanGy = gy; _meanGz = gz;
            _meanAx = ax; _meanAy = ay; _meanAz = az;
            ClearWindow();

            // A window with a clipped axis is no witness of rest.
            bool rest = _rest.Update(gx, gy, gz, ax, ay, az, dt, _settings, _restGyroThresholdSq, _restAccelThresholdSq)
                        && !gyroClipped && !accelClipped;
            if (rest) UpdateBiasAtRest(dt);

            if (gyroClipped) _clipRecoveryLeftS = _settings.ClipRecoveryS;
            else if (_clipRecoveryLeftS > 0f) _clipRecoveryLeftS -= dt;

            if (accelCount > 0)
            {
                float tau = _clipRecoveryLeftS > 0f ? _settings.ClipAccelTimeConstantS : _settings.AccelTimeConstantS;
                // Two first-order stages (critically damped second order): linear accelerations of
                // body motion (0.5-5 Hz) are attenuated with the square of the frequency ratio.
                float alpha = LowPass3.Alpha(dt, tau * 0.70710678f);
                // The accelerometer in the integrated frame: gyroQuat applied to it.
                float na = 1f / accelCount;
                _accelInertial1.Update(ix * na, iy * na, iz * na, alpha);
                LowPass3 l1 = _accelInertial1;
                _accelInertial.Update(l1.X, l1.Y, l1.Z, alpha);
                if (_settings.MotionBiasTimeConstantS > 0f) _gyroRotation.Update(_gw, _gx, _gy, _gz, alpha);
            }

            // At rest the rest estimate is the better witness of the bias.
            CorrectInclination(!rest);
            Compose();
        }

        /// <summary>Mean angular rate of the samples the last <see cref="Correct"/> used, rad/s, sensor frame (bias not removed).</summary>
        public Vector3 LastRate { get { return new Vector3(_meanGx, _meanGy, _meanGz); } }

        /// <summary>Mean specific force of the samples the last <see cref="Correct"/> used, m/s², sensor frame (zero if all were clipped).</summary>
        public Vector3 LastAccel { get { return new Vector3(_meanAx, _meanAy, _meanAz); } }

        private void ClearWindow()
        {
            _winGx = 0f; _winGy = 0f; _winGz = 0f;
            _winAx = 0f; _winAy = 0f; _winAz = 0f;
            _winIx = 0f; _winIy = 0f; _winIz = 0f;
            _winGyroCount = 0;
            _winAccelCount = 0;
            _winDt = 0f;
            _winGyroClipped = false;
            _winAccelClipped = false;
        }

        // Start level with gravity: the first accelerometer reading gives the inclination.
        private void Initialize(float ax, float ay, float az, bool accelClipped)
        {
            float n2 = ax * ax + ay * ay + az * az;
            if (accelClipped || n2 < 1e-6f) return;
            float inv = 1f / FloatMath.Sqrt(n2);
            // Once per start: the struct helpers' allocations do not matter here.
            Quaternion a = Quaternion.FromTwoVectors(new Vector3(ax * inv, ay * inv, az * inv), Vector3.UnitZ);
            _aw = a.W; _ax = a.X; _ay = a.Y; _az = a.Z;
            _gw = 1f; _gx = 0f; _gy = 0f; _gz = 0f;
            _accelInertial1.Reset(ax, ay, az);
            _accelInertial.Reset(ax, ay, az);
            _initialized = true;
            Compose();
        }

        private void UpdateBiasAtRest(float dt)
        {
            LowPass3 mean = _rest.GyroLowPass;
            // A "rest" with a mean rate above the limit is a slow, steady turn, not a bias.
            float limit = _biasLimit;
            if (FloatMath.Abs(mean.X) > limit || FloatMath.Abs(mean.Y) > limit || FloatMath.Abs(mean.Z) > limit) return;
            float k = LowPass3.Alpha(dt, _settings.RestBiasTimeConstantS);
            _biasX += k * (mean.X - _biasX);
            _biasY += k * (mean.Y - _biasY);
            _biasZ += k * (mean.Z - _biasZ);
        }

        private void IntegrateGyro(float gx, float gy, float gz, float dt)
        {
            // Rotation vector of this step; its quaternion by the series of cos(θ/2) and
            // sin(θ/2)/θ, which is exact to float precision up to θ ≈ 0.5 rad per step
            // (2800 °/s at 100 Hz) and needs no trigonometry.
            float rx = (gx - _biasX) * dt;
            float ry = (gy - _biasY) * dt;
            float rz = (gz - _biasZ) * dt;
            float t2 = rx * rx + ry * ry + rz * rz;
            float c = 1f - t2 * (0.125f - t2 * (1f / 384f));
            float s = 0.5f - t2 * ((1f / 48f) - t2 * (1f / 3840f));
            float bx = s * rx, by = s * ry, bz = s * rz;
            // gyroQuat · step (Hamilton product), then back to unit norm with w ≥ 0.
            float w = _gw, x = _gx, y = _gy, z = _gz;
            float nw = w * c - x * bx - y * by - z * bz;
            float nx = w * bx + x * c + y * bz - z * by;
            float ny = w * by - x * bz + y * c + z * bx;
            float nz = w * bz + x * by - y * bx + z * c;
            float n2 = nw * nw + nx * nx + ny * ny + nz * nz;
            if (n2 <= 1e-30f)
            {
                _gw = 1f; _gx = 0f; _gy = 0f; _gz = 0f;
                return;
            }
            float inv = 1f / FloatMath.Sqrt(n2);
            if (nw < 0f) inv = -inv;
            _gw = nw * inv; _gx = nx * inv; _gy = ny * inv; _gz = nz * inv;
        }

        private void CorrectInclination(bool estimateBias)
        {
            // 'up' = accelQuat applied to the low-passed accelerometer, normalised.
            LowPass3 l = _accelInertial;
            float vx = l.X, vy = l.Y, vz = l.Z;
            float w = _aw, x = _ax, y = _ay, z = _az;
            float tx = 2f * (y * vz - z * vy);
            float ty = 2f * (z * vx - x * vz);
            float tz = 2f * (x * vy - y * vx);
            float ux = vx + w * tx + (y * tz - z * ty);
            float uy = vy + w * ty + (z * tx - x * tz);
            float uz = vz + w * tz + (x * ty - y * tx);
            float un2 = ux * ux + uy * uy + uz * uz;
            if (un2 <= 1e-30f)
            {
                ux = 0f; uy = 0f; uz = 0f;
            }
            else
            {
                float uinv = 1f / FloatMath.Sqrt(un2);
                ux *= uinv; uy *= uinv; uz *= uinv;
            }

            // The smallest rotation taking 'up' onto +z, (cw, cx, cy, 0): its axis is horizontal.
            float cw = FloatMath.Sqrt(0.5f * (uz + 1f));
            if (cw < 1e-6f) return; // exactly upside down: wait one sample for a defined axis
            float inv = 0.5f / cw;
            float cx = uy * inv;
            float cy = -ux * inv;
            // accelQuat = correction · accelQuat, back to unit norm with w ≥ 0.
            float nw = cw * w - cx * x - cy * y;
            float nx = cw * x + cx * w - cy * z;
            float ny = cw * y - cx * z + cy * w;
            float nz = cw * z + cx * y - cy * x;
            float n2 = nw * nw + nx * nx + ny * ny + nz * nz;
            if (n2 <= 1e-30f)
            {
                nw = 1f; nx = 0f; ny = 0f; nz = 0f;
            }
            else
            {
                float ninv = 1f / FloatMath.Sqrt(n2);
                if (nw < 0f) ninv = -ninv;
                nw *= ninv; nx *= ninv; ny *= ninv; nz *= ninv;
            }
            _aw = nw; _ax = nx; _ay = ny; _az = nz;

            if (!estimateBias || _settings.MotionBiasTimeConstantS <= 0f) return;
            // What the accelerometer had to correct is what the gyro bias made the integrated
            // frame drift, seen through the same low-pass: the correction (rotation vector
            // 2·(cx, cy, 0), Earth frame) taken into the integrated frame (the inverse of the new
            // accelQuat) and back through the low-passed sensor → integrated rotation gives the
            // bias direction in the sensor frame.
            float ex = 2f * cx, ey = 2f * cy;
            float sx = -nx, sy = -ny, sz = -nz; // the inverse rotation's vector part
            float px = 2f * (-sz * ey);
            float py = 2f * (sz * ex);
            float pz = 2f * (sx * ey - sy * ex);
            float ix = ex + nw * px + (sy * pz - sz * py);
            float iy = ey + nw * py + (sz * px - sx * pz);
            float iz = nw * pz + (sx * py - sy * px);
            float bx, by, bz;
            _gyroRotation.TransposeTimes(ix, iy, iz, out bx, out by, out bz);
            float k = 1f / _settings.MotionBiasTimeConstantS;
            float limit = _biasLimit;
            _biasX = FloatMath.Clamp(_biasX - k * bx, -limit, limit);
            _biasY = FloatMath.Clamp(_biasY - k * by, -limit, limit);
            _biasZ = FloatMath.Clamp(_biasZ - k * bz, -limit, limit);
        }

        // orientation = accelQuat · gyroQuat
        private void Compose()
        {
            float aw = _aw, ax = _ax, ay = _ay, az = _az;
            float bw = _gw, bx = _gx, by = _gy, bz = _gz;
            _qw = aw * bw - ax * bx - ay * by - az * bz;
            _qx = aw * bx + ax * bw + ay * bz - az * by;
            _qy = aw * by - ax * bz + ay * bw + az * bx;
            _qz = aw * bz + ax * by - ay * bx + az * bw;
        }
    }
}
