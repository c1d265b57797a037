using System;
using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Sensors
{
    /// <summary>One lockstep row: the three sensors' readings at one instant of the device's clock, SI units, sensor frames.</summary>
    public sealed record ImuRow(double TimeS, Vec3[] Accel, Vec3[] Gyro, bool[] AccelClipped, bool[] GyroClipped);

    /// <summary>
    /// What the device's sampling loop makes of three free-running chips: rows on its own accurate
    /// clock (every 1/rate s), each sensor's value linearly interpolated between its two samples
    /// around the row time. (Each chip's clock is a little off, so their samples drift against the
    /// device's; the firmware estimates each chip's rate and resamples the same way.) An axis that
    /// was clipped in either neighbouring sample stays at the rail, so clipping is never hidden.
    /// </summary>
    public sealed class LockstepRecorder
    {
        private readonly Mpu6050Config[] _configs;
        private readonly ChipSample?[] _prev = new ChipSample?[3];
        private readonly ChipSample?[] _last = new ChipSample?[3];
        private readonly double _period;
        private long _nextRow;

        public LockstepRecorder(Mpu6050Config[] configs, double rateHz)
        {
            _configs = configs;
            _period = 1.0 / rateHz;
        }

        public double NextRowTime => _nextRow * _period;

        public void Push(int sensor, ChipSample s)
        {
            _prev[sensor] = _last[sensor];
            _last[sensor] = s;
        }

        /// <summary>The next row, once every sensor has a sample at or after its time.</summary>
        public bool TryEmit(out ImuRow? row)
        {
            row = null;
            double t = NextRowTime;
            for (int i = 0; i < 3; i++)
            {
                if (_last[i] is not ChipSample last || _prev[i] is null || last.TimeS < t) return false;
            }
            var accel = new Vec3[3];
            var gyro = new Vec3[3];
            var ac = new bool[3];
            var gc = new bool[3];
            for (int i = 0; i < 3; i++)
            {
                ChipSample a = _prev[i]!.Value, b = _last[i]!.Value;
                if (a.TimeS > t) a = b; // started late: hold the first sample
                double f = b.TimeS > a.TimeS ? Math.Clamp((t - a.TimeS) / (b.TimeS - a.TimeS), 0, 1) : 1;
                var (aa, ag) = Mpu6050Model.ToSi(a, _configs[i]);
                var (ba, bg) = Mpu6050Model.ToSi(b, _configs[i]);
                accel[i] = Rail(aa + (ba - aa) * f, a, b, true, _configs[i]);
                gyro[i] = Rail(ag + (bg - ag) * f, a, b, false, _configs[i]);
                ac[i] = a.AccelClipped || b.AccelClipped;
                gc[i] = a.GyroClipped || b.GyroClipped;
            }
            row = new ImuRow(t, accel, gyro, ac, gc);
            _nextRow++;
            return true;
        }

        private static Vec3 Rail(Vec3 v, ChipSample a, ChipSample b, bool accel, Mpu6050Config c)
        {
            double full = accel ? c.AccelRangeG * Mpu6050Config.StandardGravity : c.GyroRangeDps * Math.PI / 180;
            double x = RailAxis(v.X, accel ? a.Ax : a.Gx, accel ? b.Ax : b.Gx, full);
            double y = RailAxis(v.Y, accel ? a.Ay : a.Gy, accel ? b.Ay : b.Gy, full);
            double z = RailAxis(v.Z, accel ? a.Az : a.Gz, accel ? b.Az : b.Gz, full);
            return new Vec3(x, y, z);
        }

        private static double RailAxis(double v, short a, short b, double full)
        {
            if (a == short.MaxValue || b == short.MaxValue) return full * 32767.0 / 32768.0;
            if (a == short.MinValue || b == short.MinValue) return -full;
            return v;
        }
    }
}
