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
    /// <para>Written for that interpreter, whose costs are unlike a JIT's (measured on nanoCLR:
    /// an arithmetic IL instruction ≈ 35 x86 instructions, a managed call ≈ 460, a System.Math
    /// call ≈ 550, and every struct copy a heap allocation): the state is plain float fields
    /// updated in place, the per-sample entry points take and give floats, the low-passes and the
    /// rest detector are written out here rather than called, and the
    /// <see cref="Quaternion"/>/<see cref="Vector3"/> conveniences are for set-up and the host.</para>
    /// <para>Two entry points: <see cref="Integrate"/> for every sample (the strapdown, which fast
    /// motion needs at the full IMU rate) and <see cref="Correct"/> every few samples (everything
    /// about gravity, which is low-passed over seconds and does not notice). The accelerometer is
    /// taken into the integrated frame at every sample and summed there, so correcting every 20 ms
    /// instead of every 10 ms changes BROAD's mean inclination error by 0.001° (README).</para>
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
        // Their product, the orientation (sensor → Earth), current after every sample. Internal
        // so that PostureCalculator reads it in place: a call per sensor per sample saved.
        internal float Qw, Qx, Qy, Qz;

        // The accelerometer in I, low-passed by two first-order stages.
        private float _l1x, _l1y, _l1z, _l2x, _l2y, _l2z;
        private readonly LowPassRotation _gyroRotation = new LowPassRotation();

        // Rest detection: low-passed rate and specific force, and how long both stayed near them.
        private float _restGx, _restGy, _restGz, _restAx, _restAy, _restAz;
        // The low-passed specific force when the still period began: how far the vertical moved since.
        private float _stillAx, _stillAy, _stillAz;
        // cos²(1°): a rest whose vertical moved more than a degree is a sway, not a witness of the bias.
        private const float SteadyCosSq = 0.99969541f;
        private const float SteadyScale = 1f / (1f - SteadyCosSq);
        private bool _restStarted;
        private float _stillS;
        private bool _isRest;

        private float _biasX, _biasY, _biasZ;
        // Seconds of steady rest the whole bias has been learned from (see Correct).
        private float _restLearnedS;
        private float _clipRecoveryLeftS;
        private bool _initialized;

        // The smoothing factors for the correction interval they were computed for (it rarely changes).
        private float _alphaDt;
        private float _alphaRest, _alphaRestBias, _alphaRestTrack, _alphaAccel, _alphaAccelClipped;

        // What Integrate gathered for the next Correct: sums, counts, total time, clipping.
        private float _winGx, _winGy, _winGz, _winAx, _winAy, _winAz, _winIx, _winIy, _winIz, _winDt;
        private int _winGyroCount, _winAccelCount;
        private bool _winGyroClipped, _winAccelClipped;
        // The means the last Correct used (calibration captures read them), the accelerometer's
        // with its offset removed.
        private float _meanGx, _meanGy, _meanGz, _meanAx, _meanAy, _meanAz;
        // The accelerometer's own offset, m/s², sensor frame, as the hinge calibration found it
        // (AccelBiasCapture): removed from every window's mean before anything uses it. Not
        // cleared by Reset: it belongs to the chip, like the calibration that found it.
        private float _abx, _aby, _abz;

        public OrientationFilter() : this(new FusionSettings()) { }

        /// <summary>The settings are read here and whenever the correction interval changes.</summary>
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
        public Quaternion Orientation { get { return new Quaternion(Qw, Qx, Qy, Qz); } }

        /// <summary>Sensor → Earth (z up), scalar first, after the last sample. Identity until the first usable sample.</summary>
        public void GetOrientation(out float w, out float x, out float y, out float z)
        {
            w = Qw;
            x = Qx;
            y = Qy;
            z = Qz;
        }

        /// <summary>Estimated gyroscope bias, rad/s, sensor frame.</summary>
        public Vector3 GyroBias { get { return new Vector3(_biasX, _biasY, _biasZ); } }

        /// <summary>Whether the last correction judged the sensor to be at rest.</summary>
        public bool IsRest { get { return _isRest; } }

        /// <summary>Whether a first accelerometer sample has set the initial inclination.</summary>
        public bool IsInitialized { get { return _initialized; } }

        /// <summary>Mean angular rate of the samples the last <see cref="Correct"/> used, rad/s, sensor frame (bias not removed).</summary>
        public Vector3 LastRate { get { return new Vector3(_meanGx, _meanGy, _meanGz); } }

        /// <summary>Mean specific force of the samples the last <see cref="Correct"/> used, m/s², sensor frame, the offset removed (zero if all were clipped).</summary>
        public Vector3 LastAccel { get { return new Vector3(_meanAx, _meanAy, _meanAz); } }

        /// <summary>
        /// The vertical (Earth z) component of <see cref="LastAccel"/>, m/s², through the current
        /// orientation: g plus the sensor's upward acceleration. One call and no allocation: the
        /// activity context reads the sacrum's at every correction. The window mean is what the
        /// correction low-passes anyway, so a 25 Hz reader sees no aliased impacts.
        /// </summary>
        public float VerticalSpecificForce()
        {
            float w = Qw, x = Qx, y = Qy, z = Qz;
            // Third row of the sensor → Earth rotation matrix, dotted with the mean specific force.
            return 2f * (x * z - w * y) * _meanAx + 2f * (y * z + w * x) * _meanAy + (1f - 2f * (x * x + y * y)) * _meanAz;
        }

        public void Reset()
        {
            _gw = 1f; _gx = 0f; _gy = 0f; _gz = 0f;
            _aw = 1f; _ax = 0f; _ay = 0f; _az = 0f;
            Qw = 1f; Qx = 0f; Qy = 0f; Qz = 0f;
            _l1x = 0f; _l1y = 0f; _l1z = 0f; _l2x = 0f; _l2y = 0f; _l2z = 0f;
            _gyroRotation.Reset();
            _restStarted = false;
            _stillS = 0f;
            _isRest = false;
            _biasX = 0f;
            _biasY = 0f;
            _biasZ = 0f;
            _restLearnedS = 0f;
            _clipRecoveryLeftS = 0f;
            _initialized = false;
            _alphaDt = 0f;
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

        /// <summary>The accelerometer offset removed from its readings, m/s², sensor frame.</summary>
        public Vector3 AccelBias { get { return new Vector3(_abx, _aby, _abz); } }

        /// <summary>
        /// Sets the accelerometer offset, m/s², sensor frame (what the hinge calibration found, or
        /// one restored with it). The gravity estimate gathered so far moves by the change, so the
        /// inclination follows at the next correction rather than over seconds.
        /// </summary>
        public void SetAccelBias(Vector3 bias)
        {
            float dx = bias.X - _abx, dy = bias.Y - _aby, dz = bias.Z - _abz;
            _abx = bias.X; _aby = bias.Y; _abz = bias.Z;
            // The change into the integrated frame, where the low-passes live.
            float w = _gw, x = _gx, y = _gy, z = _gz;
            float tx = 2f * (y * dz - z * dy);
            float ty = 2f * (z * dx - x * dz);
            float tz = 2f * (x * dy - y * dx);
            float ix = dx + w * tx + (y * tz - z * ty);
            float iy = dy + w * ty + (z * tx - x * tz);
            float iz = dz + w * tz + (x * ty - y * tx);
            _l1x -= ix; _l1y -= iy; _l1z -= iz;
            _l2x -= ix; _l2y -= iy; _l2z -= iz;
            _restAx -= dx; _restAy -= dy; _restAz -= dz;
            _stillAx -= dx; _stillAy -= dy; _stillAz -= dz;
        }

        /// <summary>The gyro integral (sensor → integrated frame) after the last sample, scalar first: what the accelerometer offset is found against.</summary>
        public void GetIntegrated(out float w, out float x, out float y, out float z)
        {
            w = _gw; x = _gx; y = _gy; z = _gz;
        }

        /// <summary>Host convenience for <see cref="Update(float, float, float, float, float, float, float, bool, bool)"/>.</summary>
        public void Update(Vector3 gyr, Vector3 acc, float dt)
        {
            Update(gyr.X, gyr.Y, gyr.Z, acc.X, acc.Y, acc.Z, dt, false, false);
        }

        /// <summary>One sample, integrated and corrected at once: <see cref="Integrate"/> then <see cref="Correct"/>.</summary>
        public void Update(float gx, float gy, float gz, float ax, float ay, float az, float dt, bool gyroClipped, bool accelClipped)
        {
            Integrate(gx, gy, gz, ax, ay, az, dt, gyroClipped, accelClipped);
            Correct();
        }

        /// <summary>
        /// The per-sample part: angular rate (gx, gy, gz) in rad/s is integrated (strapdown), and
        /// the specific force (ax, ay, az) in m/s², both in the sensor frame, is taken into the
        /// integrated frame and summed for the next <see cref="Correct"/>. <paramref name="dt"/> is
        /// the time since the previous sample, s. A clipped accelerometer is left out of the
        /// gravity estimate; a clipped gyroscope shortens the accelerometer time constant until it
        /// has recovered. Non-finite input or a non-positive dt is ignored.
        /// </summary>
        public void Integrate(float gx, float gy, float gz, float ax, float ay, float az, float dt, bool gyroClipped, bool accelClipped)
        {
            // One finiteness test for all six: NaN and ±∞ survive the sum (∞ − ∞ is NaN). Finite
            // readings of an IMU are far too small for the sum itself to overflow.
            float sum = gx + gy + gz + ax + ay + az;
            if (!(dt > 0f) || !(sum - sum == 0f)) return;
            if (!_initialized)
            {
                Initialize(ax - _abx, ay - _aby, az - _abz, accelClipped);
                return;
            }

            // The rotation vector of this step; its quaternion by the series of cos(θ/2) and
            // sin(θ/2)/θ, exact to float precision up to θ ≈ 0.5 rad per step (2800 °/s at
            // 100 Hz) and free of trigonometry.
            float rx = (gx - _biasX) * dt;
            float ry = (gy - _biasY) * dt;
            float rz = (gz - _biasZ) * dt;
            float t2 = rx * rx + ry * ry + rz * rz;
            float c = 1f - t2 * (0.125f - t2 * (1f / 384f));
            float s = 0.5f - t2 * ((1f / 48f) - t2 * (1f / 3840f));
            float sx = s * rx, sy = s * ry, sz = s * rz;
            // gyroQuat · step (Hamilton product).
            float w = _gw, x = _gx, y = _gy, z = _gz;
            float nw = w * c - x * sx - y * sy - z * sz;
            float nx = w * sx + x * c + y * sz - z * sy;
            float ny = w * sy - x * sz + y * c + z * sx;
            float nz = w * sz + x * sy - y * sx + z * c;
            // Back to unit norm (and w ≥ 0). Both factors are unit to float precision, so the
            // norm² is 1 within a few ulp and one Newton step of 1/√n², (3 − n²)/2, is exact
            // there: a square root would be a native call per sample.
            float k = 1.5f - 0.5f * (nw * nw + nx * nx + ny * ny + nz * nz);
            if (nw < 0f) k = -k;
            w = nw * k; x = nx * k; y = ny * k; z = nz * k;
            _gw = w; _gx = x; _gy = y; _gz = z;
            // The orientation, accelQuat · gyroQuat, current at every sample: the alignment
            // decision reads it at the full rate.
            float aw = _aw, ax0 = _ax, ay0 = _ay, az0 = _az;
            Qw = aw * w - ax0 * x - ay0 * y - az0 * z;
            Qx = aw * x + ax0 * w + ay0 * z - az0 * y;
            Qy = aw * y - ax0 * z + ay0 * w + az0 * x;
            Qz = aw * z + ax0 * y - ay0 * x + az0 * w;

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
            // ...and into the integrated frame as it is now (v + w·t + q×t, t = 2 q×v): summing
            // there is what the low-pass would have seen sample by sample.
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
        /// towards it. Nothing happens when nothing was integrated. Returns
        /// <see cref="IsInitialized"/> (one call less per sensor on the device).
        /// </summary>
        public bool Correct()
        {
            int count = _winGyroCount;
            if (count == 0) return _initialized;
            float dt = _winDt;
            if (dt != _alphaDt) SetInterval(dt);
            float inv = 1f / count;
            float gx = _winGx * inv, gy = _winGy * inv, gz = _winGz * inv;
            int accelCount = _winAccelCount;
            float ax = 0f, ay = 0f, az = 0f, ix = 0f, iy = 0f, iz = 0f;
            if (accelCount > 0)
            {
                float na = 1f / accelCount;
                float bx = _abx, by = _aby, bz = _abz;
                ax = _winAx * na - bx; ay = _winAy * na - by; az = _winAz * na - bz;
                ix = _winIx * na; iy = _winIy * na; iz = _winIz * na;
                if (bx != 0f || by != 0f || bz != 0f)
                {
                    // The offset in the integrated frame. Removed here, once per correction, not
                    // from every sample: the window's samples went in through rotations a few
                    // milliseconds apart, and the latest one stands for them all.
                    float w = _gw, x = _gx, y = _gy, z = _gz;
                    float tx = 2f * (y * bz - z * by);
                    float ty = 2f * (z * bx - x * bz);
                    float tz = 2f * (x * by - y * bx);
                    ix -= bx + w * tx + (y * tz - z * ty);
                    iy -= by + w * ty + (z * tx - x * tz);
                    iz -= bz + w * tz + (x * ty - y * tx);
                }
            }
            bool gyroClipped = _winGyroClipped, accelClipped = _winAccelClipped;
            _meanGx = gx; _meanGy = gy; _meanGz = gz;
            _meanAx = ax; _meanAy = ay; _meanAz = az;
            ClearWindow();

            // Rest: both the rate and the specific force stayed near their low-passed values for
            // RestMinDurationS. A window with a clipped axis is no witness of rest.
            if (!_restStarted)
            {
                _restGx = gx; _restGy = gy; _restGz = gz;
                _restAx = ax; _restAy = ay; _restAz = az;
                _restStarted = true;
            }
            else
            {
                float a = _alphaRest;
                _restGx += a * (gx - _restGx); _restGy += a * (gy - _restGy); _restGz += a * (gz - _restGz);
                _restAx += a * (ax - _restAx); _restAy += a * (ay - _restAy); _restAz += a * (az - _restAz);
            }
            float dgx = gx - _restGx, dgy = gy - _restGy, dgz = gz - _restGz;
            float dax = ax - _restAx, day = ay - _restAy, daz = az - _restAz;
            if (dgx * dgx + dgy * dgy + dgz * dgz < _restGyroThresholdSq && dax * dax + day * day + daz * daz < _restAccelThresholdSq)
            {
                if (_stillS == 0f) { _stillAx = _restAx; _stillAy = _restAy; _stillAz = _restAz; }
                _stillS += dt;
                _isRest = _stillS >= _settings.RestMinDurationS;
            }
            else
            {
                _stillS = 0f;
                _isRest = false;
            }
            bool rest = _isRest && !gyroClipped && !accelClipped;
            if (rest)
            {
                // At rest the low-passed rate is the bias, unless it is above the limit (then it is
                // a turn). The first seconds of rest learn it whole; after them rests only keep it
                // up to date (MEMS bias drifts over minutes), because two movements pass for rest: a
                // steady turn about the vertical (turning round on the spot) leaves the
                // accelerometer as still as rest does, so only the bias's horizontal part is
                // corrected, the part such a turn cannot reach; and a slow sway (weight shifts,
                // 1–2 °/s) tilts the vertical, so the rate counts only while the vertical stays
                // within a degree of where the rest began, and slowly (4× the first rest's time
                // constant), so that the part of a sway before it shows moves the bias little.
                // Weights, not switches, throughout: the same samples rounded differently must not
                // learn a different bias. (Seen in the simulated lifters: a sway after walking, taken
                // for bias, put 5–8° into the upper back's inclination for half a minute.)
                float limit = _biasLimit, mx = _restGx, my = _restGy, mz = _restGz;
                if (mx <= limit && mx >= -limit && my <= limit && my >= -limit && mz <= limit && mz >= -limit)
                {
                    float ux = _restAx, uy = _restAy, uz = _restAz, sx = _stillAx, sy = _stillAy, sz = _stillAz;
                    float n2 = ux * ux + uy * uy + uz * uz;
                    float d2 = sx * sx + sy * sy + sz * sz;
                    float dot = sx * ux + sy * uy + sz * uz;
                    // How steady: 1 where the rest began, 0 a degree away (≈ 1 − (θ/1°)², from the
                    // squared cosine: no square root per correction).
                    float steady = dot > 0f && d2 * n2 > 0f ? (dot * dot / (d2 * n2) - SteadyCosSq) * SteadyScale : 0f;
                    if (steady > 1f) steady = 1f;
                    if (steady > 0f && n2 > 1e-6f)
                    {
                        // Whether the whole bias is still to learn: fully for four time constants of
                        // steady rest, fading out over two more (then 99 % of it is learned).
                        float tau = _settings.RestBiasTimeConstantS;
                        float whole = (6f * tau - _restLearnedS) / (2f * tau);
                        if (whole > 1f) whole = 1f;
                        // The very first moment of rest takes the low-passed rate (half a second of
                        // stillness already) as the bias at once, weighed by how steady: learning it
                        // over the next seconds left a chip's 3–4 °/s a quarter unlearned when a 3 s
                        // neutral capture ended, and the hinge straight after it read 2–4° off
                        // (CI suite, head flexion p95 2.9° → 2.3°).
                        bool first = _restLearnedS == 0f;
                        if (whole < 0f) whole = 0f;
                        else _restLearnedS += steady * dt;
                        float dx = mx - _biasX, dy = my - _biasY, dz = mz - _biasZ;
                        float along = (dx * ux + dy * uy + dz * uz) / n2;
                        float kv = first ? steady : steady * whole * _alphaRestBias;
                        float kh = first ? steady : steady * (whole * _alphaRestBias + (1f - whole) * _alphaRestTrack);
                        _biasX += kh * (dx - along * ux) + kv * along * ux;
                        _biasY += kh * (dy - along * uy) + kv * along * uy;
                        _biasZ += kh * (dz - along * uz) + kv * along * uz;
                    }
                }
            }

            if (gyroClipped) _clipRecoveryLeftS = _settings.ClipRecoveryS;
            else if (_clipRecoveryLeftS > 0f) _clipRecoveryLeftS -= dt;

            if (accelCount > 0)
            {
                // Two first-order stages (critically damped second order): linear accelerations of
                // body motion (0.5-5 Hz) are attenuated with the square of the frequency ratio.
                float a = _clipRecoveryLeftS > 0f ? _alphaAccelClipped : _alphaAccel;
                _l1x += a * (ix - _l1x); _l1y += a * (iy - _l1y); _l1z += a * (iz - _l1z);
                _l2x += a * (_l1x - _l2x); _l2y += a * (_l1y - _l2y); _l2z += a * (_l1z - _l2z);
                if (_settings.MotionBiasTimeConstantS > 0f) _gyroRotation.Update(_gw, _gx, _gy, _gz, a);
            }

            // At rest the rest estimate is the better witness of the bias.
            CorrectInclination(!rest);

            // orientation = accelQuat · gyroQuat
            float aw = _aw, bx0 = _ax, by0 = _ay, bz0 = _az;
            float gw = _gw, gx1 = _gx, gy1 = _gy, gz1 = _gz;
            Qw = aw * gw - bx0 * gx1 - by0 * gy1 - bz0 * gz1;
            Qx = aw * gx1 + bx0 * gw + by0 * gz1 - bz0 * gy1;
            Qy = aw * gy1 - bx0 * gz1 + by0 * gw + bz0 * gx1;
            Qz = aw * gz1 + bx0 * gy1 - by0 * gx1 + bz0 * gw;
            return true;
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
            _l1x = ax; _l1y = ay; _l1z = az;
            _l2x = ax; _l2y = ay; _l2z = az;
            Qw = _aw; Qx = _ax; Qy = _ay; Qz = _az;
            _initialized = true;
        }

        // The smoothing factors, α = dt / (τ + dt), for a correction interval of dt seconds.
        private void SetInterval(float dt)
        {
            FusionSettings s = _settings;
            _alphaDt = dt;
            _alphaRest = Alpha(dt, s.RestFilterTimeConstantS);
            _alphaRestBias = Alpha(dt, s.RestBiasTimeConstantS);
            _alphaRestTrack = Alpha(dt, 4f * s.RestBiasTimeConstantS);
            // Two stages of τ/√2 each: together the response of one stage of τ at low frequencies.
            _alphaAccel = Alpha(dt, s.AccelTimeConstantS * 0.70710678f);
            _alphaAccelClipped = Alpha(dt, s.ClipAccelTimeConstantS * 0.70710678f);
        }

        /// <summary>
        /// The factor of a first-order low-pass y += α (x − y) for a time constant τ and a step dt
        /// (both s). The incremental form stays accurate in float when α is tiny (τ of seconds at
        /// tens of Hz), where the usual biquad coefficients would drown in rounding.
        /// </summary>
        public static float Alpha(float dt, float tau)
        {
            if (tau <= 0f) return 1f;
            return dt / (tau + dt);
        }

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

        private void CorrectInclination(bool estimateBias)
        {
            // 'up' = accelQuat applied to the low-passed accelerometer, normalised.
            float vx = _l2x, vy = _l2y, vz = _l2z;
            float w = _aw, x = _ax, y = _ay, z = _az;
            float tx = 2f * (y * vz - z * vy);
            float ty = 2f * (z * vx - x * vz);
            float tz = 2f * (x * vy - y * vx);
            float ux = vx + w * tx + (y * tz - z * ty);
            float uy = vy + w * ty + (z * tx - x * tz);
            float uz = vz + w * tz + (x * ty - y * tx);
            float un2 = ux * ux + uy * uy + uz * uz;
            if (un2 <= 1e-30f) return; // no gravity estimate yet (all clipped): nothing to correct towards
            // System.Math directly, not through FloatMath: a wrapper is one more call per use here.
            float uinv = 1f / (float)System.Math.Sqrt(un2);
            ux *= uinv; uy *= uinv; uz *= uinv;

            // The smallest rotation taking 'up' onto +z, (cw, cx, cy, 0): its axis is horizontal.
            float cw = (float)System.Math.Sqrt(0.5f * (uz + 1f));
            if (cw < 1e-6f) return; // exactly upside down: wait one sample for a defined axis
            float inv = 0.5f / cw;
            float cx = uy * inv;
            float cy = -ux * inv;
            // accelQuat = correction · accelQuat; both unit, so one Newton step renormalises (see Integrate).
            float nw = cw * w - cx * x - cy * y;
            float nx = cw * x + cx * w - cy * z;
            float ny = cw * y - cx * z + cy * w;
            float nz = cw * z + cx * y - cy * x;
            float k = 1.5f - 0.5f * (nw * nw + nx * nx + ny * ny + nz * nz);
            if (nw < 0f) k = -k;
            nw *= k; nx *= k; ny *= k; nz *= k;
            _aw = nw; _ax = nx; _ay = ny; _az = nz;

            float motionTau = _settings.MotionBiasTimeConstantS;
            if (!estimateBias || motionTau <= 0f) return;
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
            float kb = 1f / motionTau, limit = _biasLimit;
            float nbx = _biasX - kb * bx, nby = _biasY - kb * by, nbz = _biasZ - kb * bz;
            _biasX = nbx > limit ? limit : nbx < -limit ? -limit : nbx;
            _biasY = nby > limit ? limit : nby < -limit ? -limit : nby;
            _biasZ = nbz > limit ? limit : nbz < -limit ? -limit : nbz;
        }
    }
}
