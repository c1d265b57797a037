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
    /// stays cheap in the nanoFramework interpreter. Nothing allocates.
    /// </remarks>
    public sealed class OrientationFilter
    {
        private readonly FusionSettings _settings;
        private readonly float _restGyroThresholdSq;
        private readonly float _restAccelThresholdSq;
        private readonly float _biasLimit;

        private Quaternion _gyroQuat;
        private Quaternion _accelQuat;
        private LowPass3 _accelInertial1;
        private LowPass3 _accelInertial;
        private readonly LowPassRotation _gyroRotation = new LowPassRotation();
        private RestDetector _rest;
        private float _biasX;
        private float _biasY;
        private float _biasZ;
        private float _clipRecoveryLeftS;
        private bool _initialized;

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

        /// <summary>Sensor → Earth (z up). Identity until the first usable sample.</summary>
        public Quaternion Orientation { get { return _accelQuat * _gyroQuat; } }

        /// <summary>Estimated gyroscope bias, rad/s, sensor frame.</summary>
        public Vector3 GyroBias { get { return new Vector3(_biasX, _biasY, _biasZ); } }

        /// <summary>Whether the last sample was judged to be at rest.</summary>
        public bool IsRest { get { return _rest.IsRest; } }

        /// <summary>Whether a first accelerometer sample has set the initial inclination.</summary>
        public bool IsInitialized { get { return _initialized; } }

        public void Reset()
        {
            _gyroQuat = Quaternion.Identity;
            _accelQuat = Quaternion.Identity;
            _accelInertial1 = new LowPass3();
            _accelInertial = new LowPass3();
            _gyroRotation.Reset();
            _rest.Reset();
            _biasX = 0f;
            _biasY = 0f;
            _biasZ = 0f;
            _clipRecoveryLeftS = 0f;
            _initialized = false;
        }

        /// <summary>Sets the gyro bias estimate, rad/s (e.g. one remembered from the last session).</summary>
        public void SetGyroBias(Vector3 bias)
        {
            _biasX = FloatMath.Clamp(bias.X, -_biasLimit, _biasLimit);
            _biasY = FloatMath.Clamp(bias.Y, -_biasLimit, _biasLimit);
            _biasZ = FloatMath.Clamp(bias.Z, -_biasLimit, _biasLimit);
        }

        public void Update(Vector3 gyr, Vector3 acc, float dt)
        {
            Update(gyr, acc, dt, false, false);
        }

        /// <summary>
        /// One sample: angular rate in rad/s and specific force in m/s², both in the sensor frame,
        /// <paramref name="dt"/> seconds after the previous sample. A clipped axis makes that
        /// reading untrustworthy: a clipped accelerometer is left out of the gravity estimate, a
        /// clipped gyroscope shortens the accelerometer time constant until it has recovered.
        /// Non-finite input or a non-positive dt is ignored.
        /// </summary>
        public void Update(Vector3 gyr, Vector3 acc, float dt, bool gyroClipped, bool accelClipped)
        {
            if (!(dt > 0f) || !gyr.IsFinite || !acc.IsFinite) return;

            if (!_initialized)
            {
                // Start level with gravity: the first accelerometer reading gives the inclination.
                float n2 = acc.LengthSquared;
                if (accelClipped || n2 < 1e-6f) return;
                _accelQuat = Quaternion.FromTwoVectors(acc * (1f / FloatMath.Sqrt(n2)), Vector3.UnitZ);
                _gyroQuat = Quaternion.Identity;
                _accelInertial1.Reset(acc);
                _accelInertial.Reset(acc);
                _initialized = true;
                return;
            }

            bool rest = _rest.Update(gyr, acc, dt, _settings, _restGyroThresholdSq, _restAccelThresholdSq)
                        && !gyroClipped && !accelClipped;
            if (rest) UpdateBiasAtRest(dt);

            IntegrateGyro(gyr, dt);

            if (gyroClipped) _clipRecoveryLeftS = _settings.ClipRecoveryS;
            else if (_clipRecoveryLeftS > 0f) _clipRecoveryLeftS -= dt;

            if (!accelClipped)
            {
                float tau = _clipRecoveryLeftS > 0f ? _settings.ClipAccelTimeConstantS : _settings.AccelTimeConstantS;
                // Two first-order stages (critically damped second order): linear accelerations of
                // body motion (0.5-5 Hz) are attenuated with the square of the frequency ratio.
                float alpha = LowPass3.Alpha(dt, tau * 0.70710678f);
                _accelInertial1.Update(_gyroQuat.Rotate(acc), alpha);
                _accelInertial.Update(_accelInertial1.Value, alpha);
                if (_settings.MotionBiasTimeConstantS > 0f) _gyroRotation.Update(_gyroQuat, alpha);
            }

            // At rest the rest estimate is the better witness of the bias.
            CorrectInclination(!rest);
        }

        private void UpdateBiasAtRest(float dt)
        {
            Vector3 mean = _rest.GyroLowPass.Value;
            // A "rest" with a mean rate above the limit is a slow, steady turn, not a bias.
            if (FloatMath.Abs(mean.X) > _biasLimit || FloatMath.Abs(mean.Y) > _biasLimit || FloatMath.Abs(mean.Z) > _biasLimit) return;
            float k = LowPass3.Alpha(dt, _settings.RestBiasTimeConstantS);
            _biasX += k * (mean.X - _biasX);
            _biasY += k * (mean.Y - _biasY);
            _biasZ += k * (mean.Z - _biasZ);
        }

        private void IntegrateGyro(Vector3 gyr, float dt)
        {
            // Rotation vector of this step; its quaternion by the series of cos(θ/2) and
            // sin(θ/2)/θ, which is exact to float precision up to θ ≈ 0.5 rad per step
            // (2800 °/s at 100 Hz) and needs no trigonometry.
            float rx = (gyr.X - _biasX) * dt;
            float ry = (gyr.Y - _biasY) * dt;
            float rz = (gyr.Z - _biasZ) * dt;
            float t2 = rx * rx + ry * ry + rz * rz;
            float c = 1f - t2 * (0.125f - t2 * (1f / 384f));
            float s = 0.5f - t2 * ((1f / 48f) - t2 * (1f / 3840f));
            _gyroQuat = (_gyroQuat * new Quaternion(c, s * rx, s * ry, s * rz)).Normalized();
        }

        private void CorrectInclination(bool estimateBias)
        {
            Vector3 up = _accelQuat.Rotate(_accelInertial.Value).Normalized();
            // The smallest rotation taking 'up' onto +z; its axis is horizontal.
            float w = FloatMath.Sqrt(0.5f * (up.Z + 1f));
            if (w < 1e-6f) return; // exactly upside down: wait one sample for a defined axis
            float inv = 0.5f / w;
            float cx = up.Y * inv;
            float cy = -up.X * inv;
            _accelQuat = (new Quaternion(w, cx, cy, 0f) * _accelQuat).Normalized();

            if (!estimateBias || _settings.MotionBiasTimeConstantS <= 0f) return;
            // What the accelerometer had to correct is what the gyro bias made the integrated
            // frame drift, seen through the same low-pass: the correction (rotation vector
            // 2·(cx, cy, 0), Earth frame) taken into the integrated frame and back through the
            // low-passed sensor → integrated rotation gives the bias direction in the sensor frame.
            Vector3 correctionInertial = _accelQuat.RotateInverse(new Vector3(2f * cx, 2f * cy, 0f));
            Vector3 correction = _gyroRotation.TransposeTimes(correctionInertial);
            float k = 1f / _settings.MotionBiasTimeConstantS;
            _biasX = FloatMath.Clamp(_biasX - k * correction.X, -_biasLimit, _biasLimit);
            _biasY = FloatMath.Clamp(_biasY - k * correction.Y, -_biasLimit, _biasLimit);
            _biasZ = FloatMath.Clamp(_biasZ - k * correction.Z, -_biasLimit, _biasLimit);
        }
    }
}
