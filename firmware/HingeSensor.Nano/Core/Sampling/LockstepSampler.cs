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
            SampleClock clock = ch.Clock;
            if (!ch.IsOk || !clock.Started) return false;
            ImuFrameBuffer f = ch.Frames;
            int count = f.Count;
            if (count < 2) return false;
            // Drop the frames no longer needed, keeping the last one at or before t (frames in the
            // ring have consecutive indices).
            long first = f.FirstIndex;
            long t1 = clock.TimeOf(first + 1);
            while (t1 <= t)
            {
                if (count < 3) return false; // t is past the newest frame: the next has not arrived yet
                f.DropOldest(1);
                count--;
                first++;
                t1 = clock.TimeOf(first + 1);
            }
            long t0 = clock.TimeOf(first);
            if (t0 > t || t1 <= t0) return false;
            float u = (float)(t - t0) / (t1 - t0);
            float v = 1f - u;
            // The two frames' big-endian counts straight from the ring, decoded here: a call per
            // channel would cost more than the arithmetic on the interpreter.
            byte[] d = f.Raw;
            int p = f.OffsetOf(0), q = f.OffsetOf(1);
            int a0 = (short)((d[p] << 8) | d[p + 1]), a1 = (short)((d[p + 2] << 8) | d[p + 3]), a2 = (short)((d[p + 4] << 8) | d[p + 5]);
            int g0 = (short)((d[p + 6] << 8) | d[p + 7]), g1 = (short)((d[p + 8] << 8) | d[p + 9]), g2 = (short)((d[p + 10] << 8) | d[p + 11]);
            int b0 = (short)((d[q] << 8) | d[q + 1]), b1 = (short)((d[q + 2] << 8) | d[q + 3]), b2 = (short)((d[q + 4] << 8) | d[q + 5]);
            int h0 = (short)((d[q + 6] << 8) | d[q + 7]), h1 = (short)((d[q + 8] << 8) | d[q + 9]), h2 = (short)((d[q + 10] << 8) | d[q + 11]);
            float a = _accelScale, g = _gyroScale;
            s.AccelX = (v * a0 + u * b0) * a;
            s.AccelY = (v * a1 + u * b1) * a;
            s.AccelZ = (v * a2 + u * b2) * a;
            s.GyroX = (v * g0 + u * h0) * g;
            s.GyroY = (v * g1 + u * h1) * g;
            s.GyroZ = (v * g2 + u * h2) * g;
            // A channel at either rail in either neighbouring frame: the reading is clipped.
            s.AccelClipped = a0 >= 32767 || a0 <= -32768 || a1 >= 32767 || a1 <= -32768 || a2 >= 32767 || a2 <= -32768
                          || b0 >= 32767 || b0 <= -32768 || b1 >= 32767 || b1 <= -32768 || b2 >= 32767 || b2 <= -32768;
            s.GyroClipped = g0 >= 32767 || g0 <= -32768 || g1 >= 32767 || g1 <= -32768 || g2 >= 32767 || g2 <= -32768
                         || h0 >= 32767 || h0 <= -32768 || h1 >= 32767 || h1 <= -32768 || h2 >= 32767 || h2 <= -32768;
            s.Present = true;
            return true;
        }
    }
}
