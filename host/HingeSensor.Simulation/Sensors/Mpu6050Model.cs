using System;
using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Sensors
{
    /// <summary>
    /// One MPU6050 as the physics reaches it: fed the true specific force and angular rate (sensor
    /// frame) at 1 kHz, it adds its own errors — constant bias, bias drift (warm-up and random walk),
    /// scale and cross-axis errors, the gyro's sensitivity to acceleration, white noise at the
    /// datasheet densities — runs the digital low-pass filter at its 1 kHz internal rate, samples at
    /// its configured output rate on its own (slightly wrong) clock, and quantises to 16 bits at the
    /// configured full scale, clipping at the rails. Deterministic from its seed.
    /// </summary>
    public sealed class Mpu6050Model
    {
        private readonly Mpu6050Config _config;
        private readonly Random _rng;
        private readonly Mat3 _accelMisalign;
        private readonly Mat3 _gyroMisalign;
        private readonly Vec3 _accelBias;
        private readonly Vec3 _gyroBias0;
        private readonly Vec3 _gyroWarmup;
        private readonly Mat3 _gSensitivity;
        private readonly double _accelSigma, _gyroSigma;
        private readonly double _accelAlpha, _gyroAlpha;
        private readonly double _samplePeriod;
        private readonly double _temperatureC;
        private Vec3 _gyroWalk;
        private Vec3 _accelLp, _gyroLp, _prevAccelLp, _prevGyroLp;
        private double _prevTickT = double.NaN, _nextSampleT;
        private bool _started;

        public Mpu6050Model(Mpu6050Config config, int seed)
        {
            config.Validate();
            _config = config;
            _rng = new Random(seed);
            const double deg = Math.PI / 180;
            bool imperfect = config.Imperfect;
            double g = Mpu6050Config.StandardGravity;
            _accelMisalign = imperfect ? Misalignment(0.01, 0.007) : Mat3.Identity;
            _gyroMisalign = imperfect ? Misalignment(0.01, 0.007) : Mat3.Identity;
            _accelBias = imperfect ? new Vec3(N(0.025), N(0.025), N(0.035)) * g : Vec3.Zero;
            _gyroBias0 = imperfect ? new Vec3(Clip(N(1.5), 20), Clip(N(1.5), 20), Clip(N(1.5), 20)) * deg : Vec3.Zero;
            _gyroWarmup = imperfect ? new Vec3(N(0.3), N(0.3), N(0.3)) * deg : Vec3.Zero;
            // Linear acceleration sensitivity, 0.1 °/s/g typical (datasheet): a small random matrix.
            double k = 0.06 * deg / g;
            _gSensitivity = imperfect ? new Mat3(N(k), N(k), N(k), N(k), N(k), N(k), N(k), N(k), N(k)) : new Mat3(0, 0, 0, 0, 0, 0, 0, 0, 0);
            // White noise at the 1 kHz internal rate: density × √(Nyquist bandwidth).
            _accelSigma = imperfect ? Mpu6050Config.AccelNoiseDensityG * g * Math.Sqrt(500) : 0;
            _gyroSigma = imperfect ? Mpu6050Config.GyroNoiseDensityDps * deg * Math.Sqrt(500) : 0;
            var bw = config.Bandwidth;
            _accelAlpha = imperfect ? 1 - Math.Exp(-2 * Math.PI * bw.Accel * 1e-3) : 1;
            _gyroAlpha = imperfect ? 1 - Math.Exp(-2 * Math.PI * bw.Gyro * 1e-3) : 1;
            // The clock error is drawn whenever a spread is configured, ideal or not: timing tests want
            // perfect readings on an imperfect clock.
            double clockError = config.ClockErrorPpmSd > 0 ? Clip(N(config.ClockErrorPpmSd * 1e-6), 0.01) : 0;
            ClockError = clockError;
            _samplePeriod = (1.0 / config.RateHz) / (1 + clockError);
            _temperatureC = imperfect ? 30 + N(2) : 30;
        }

        public Mpu6050Config Config => _config;

        /// <summary>Relative error of this chip's sample clock (+ = fast).</summary>
        public double ClockError { get; }

        /// <summary>The true gyro bias at time t, rad/s (what a perfect estimator would find).</summary>
        public Vec3 GyroBiasAt(double t) => _gyroBias0 + _gyroWarmup * (1 - Math.Exp(-t / 300)) + _gyroWalk;

        private double N(double sigma) => sigma * SensorSite.Gauss(_rng);
        private static double Clip(double v, double limit) => Math.Max(-limit, Math.Min(limit, v));

        private Mat3 Misalignment(double scaleSd, double crossSd) => new(
            1 + N(scaleSd), N(crossSd), N(crossSd),
            N(crossSd), 1 + N(scaleSd), N(crossSd),
            N(crossSd), N(crossSd), 1 + N(scaleSd));

        /// <summary>
        /// Feeds one internal tick (every 1 ms of true time). Returns true and the sample when the
        /// chip's own clock says an output sample was taken since the previous tick.
        /// </summary>
        public bool Tick(double t, Vec3 specificForce, Vec3 rate, out ChipSample sample)
        {
            sample = default;
            if (_config.Imperfect) _gyroWalk += new Vec3(N(1), N(1), N(1)) * (0.0005 * Math.PI / 180 * Math.Sqrt(1e-3)); // rate random walk
            Vec3 a = _accelMisalign * specificForce + _accelBias + new Vec3(N(_accelSigma), N(_accelSigma), N(_accelSigma));
            Vec3 w = _gyroMisalign * rate + GyroBiasAt(t) + _gSensitivity * specificForce
                   + new Vec3(N(_gyroSigma), N(_gyroSigma), N(_gyroSigma));
            _prevAccelLp = _accelLp;
            _prevGyroLp = _gyroLp;
            if (!_started)
            {
                _accelLp = a;
                _gyroLp = w;
                _prevAccelLp = a;
                _prevGyroLp = w;
                _started = true;
                _nextSampleT = t + _samplePeriod * _rng.NextDouble(); // the chip was switched on at some phase
            }
            else
            {
                _accelLp += (a - _accelLp) * _accelAlpha;
                _gyroLp += (w - _gyroLp) * _gyroAlpha;
            }
            double prevT = _prevTickT;
            _prevTickT = t;
            if (t < _nextSampleT || double.IsNaN(prevT)) return false;

            // The sample instant falls between the previous tick and this one: interpolate.
            double f = (_nextSampleT - prevT) / (t - prevT);
            Vec3 sa = _prevAccelLp + (_accelLp - _prevAccelLp) * f;
            Vec3 sg = _prevGyroLp + (_gyroLp - _prevGyroLp) * f;
            sample = Quantise(_nextSampleT, sa, sg);
            _nextSampleT += _samplePeriod;
            return true;
        }

        private ChipSample Quantise(double t, Vec3 accel, Vec3 gyro)
        {
            double aScale = _config.AccelLsbPerG / Mpu6050Config.StandardGravity;
            double gScale = _config.GyroLsbPerDps * 180 / Math.PI;
            // Temperature register: T = raw/340 + 36.53 °C.
            short temp = (short)Math.Round((_temperatureC - 36.53) * 340);
            return new ChipSample(t, Q(accel.X * aScale), Q(accel.Y * aScale), Q(accel.Z * aScale), Q(gyro.X * gScale), Q(gyro.Y * gScale), Q(gyro.Z * gScale), temp);
        }

        private static short Q(double counts)
        {
            double r = Math.Round(counts);
            if (r >= short.MaxValue) return short.MaxValue;
            if (r <= short.MinValue) return short.MinValue;
            return (short)r;
        }

        /// <summary>Counts to SI (m/s² and rad/s) with the nominal sensitivities, as a driver converts them.</summary>
        public static (Vec3 Accel, Vec3 Gyro) ToSi(ChipSample s, Mpu6050Config c)
        {
            double a = Mpu6050Config.StandardGravity / c.AccelLsbPerG;
            double g = Math.PI / 180 / c.GyroLsbPerDps;
            return (new Vec3(s.Ax * a, s.Ay * a, s.Az * a), new Vec3(s.Gx * g, s.Gy * g, s.Gz * g));
        }
    }
}
