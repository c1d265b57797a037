using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Imu;

namespace HingeSensor.Nano.Core.Sampling
{
    /// <summary>
    /// Three free-running sensors in, one lockstep sample stream out: on the device's own grid
    /// (every 1/rate s), each sensor's reading is interpolated between its two frames around the
    /// grid time, using each frame's estimated sampling time (<see cref="SampleClock"/>). The grid
    /// runs <see cref="LatencyUs"/> behind real time so that the frame after the grid time has
    /// normally arrived. A sensor that is lost, or whose frames do not bracket the grid time, is
    /// marked not present for that sample; nothing is invented.
    /// </summary>
    public sealed class LockstepSampler
    {
        /// <summary>How far behind "now" the output grid runs: two sample periods plus reading time.</summary>
        public const long LatencyUs = 25000;

        private readonly SensorChannel[] _channels;
        private readonly ImuSettings _settings;
        private readonly long _periodUs;
        private readonly float _accelScale;
        private readonly float _gyroScale;
        private long _nextGridUs = long.MinValue;

        public LockstepSampler(SensorChannel[] channels, ImuSettings settings)
        {
            _channels = channels;
            _settings = settings;
            _periodUs = 1000000 / settings.RateHz;
            _accelScale = settings.AccelScale;
            _gyroScale = settings.GyroScale;
        }

        public SensorChannel Channel(int i) { return _channels[i]; }

        /// <summary>Samples emitted without one of the sensors (lost, or its frames missing).</summary>
        public int IncompleteSamples;

        public void Begin(long nowUs)
        {
            for (int i = 0; i < _channels.Length; i++) _channels[i].Begin(nowUs);
            _nextGridUs = (nowUs / _periodUs + 1) * _periodUs;
        }

        /// <summary>Services the sensors (drains their FIFOs). Call every loop tick.</summary>
        public void Service(long nowUs)
        {
            for (int i = 0; i < _channels.Length; i++) _channels[i].Service(nowUs);
        }

        /// <summary>
        /// The next lockstep sample whose grid time has passed, into <paramref name="frame"/>;
        /// false when none is due yet. Call until false after each <see cref="Service"/>.
        /// </summary>
        public bool TryNext(long nowUs, SensorFrame frame)
        {
            if (_nextGridUs == long.MinValue || _nextGridUs > nowUs - LatencyUs) return false;
            long t = _nextGridUs;
            _nextGridUs += _periodUs;
            frame.TimeUs = t;
            bool complete = true;
            for (int i = 0; i < _channels.Length; i++)
            {
                if (!Interpolate(_channels[i], t, frame.Samples[i])) complete = false;
            }
            if (!complete) IncompleteSamples++;
            return true;
        }

        private bool Interpolate(SensorChannel ch, long t, ImuSample s)
        {
            s.Present = false;
            if (!ch.IsOk || !ch.Clock.Started) return false;
            ImuFrameBuffer f = ch.Frames;
            SampleClock clock = ch.Clock;
            // Drop frames no longer needed: keep the last one at or before t.
            while (f.Count >= 2 && clock.TimeOf(f.IndexAt(1)) <= t) f.DropOldest(1);
            if (f.Count < 2) return false;
            long t0 = clock.TimeOf(f.IndexAt(0));
            long t1 = clock.TimeOf(f.IndexAt(1));
            if (t0 > t || t1 <= t0) return false;
            float u = (float)(t - t0) / (t1 - t0);
            float v = 1f - u;
            // The two frames' raw counts straight from the ring: a call per channel would cost
            // more than the arithmetic on the interpreter.
            short[] d = f.Data;
            int p = f.OffsetOf(0), q = f.OffsetOf(1);
            int a0 = d[p], a1 = d[p + 1], a2 = d[p + 2], g0 = d[p + 3], g1 = d[p + 4], g2 = d[p + 5];
            int b0 = d[q], b1 = d[q + 1], b2 = d[q + 2], h0 = d[q + 3], h1 = d[q + 4], h2 = d[q + 5];
            float a = _accelScale, g = _gyroScale;
            s.AccelX = (v * a0 + u * b0) * a;
            s.AccelY = (v * a1 + u * b1) * a;
            s.AccelZ = (v * a2 + u * b2) * a;
            s.GyroX = (v * g0 + u * h0) * g;
            s.GyroY = (v * g1 + u * h1) * g;
            s.GyroZ = (v * g2 + u * h2) * g;
            // A channel at either rail in either neighbouring frame: the reading is clipped.
            s.AccelClipped = Rail(a0) || Rail(a1) || Rail(a2) || Rail(b0) || Rail(b1) || Rail(b2);
            s.GyroClipped = Rail(g0) || Rail(g1) || Rail(g2) || Rail(h0) || Rail(h1) || Rail(h2);
            s.Present = true;
            return true;
        }

        private static bool Rail(int count) { return count >= 32767 || count <= -32768; }
    }
}
