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
        /// <summary>
        /// How far behind "now" the output grid runs: a chip is read every 20 ms, so its newest
        /// frame can be 30 ms old; plus reading time.
        /// </summary>
        public const long LatencyUs = 35000;

        private readonly SensorChannel[] _channels;
        private readonly long _periodUs;
        private readonly float _accelScale;
        private readonly float _gyroScale;
        private long _nextGridUs = long.MinValue;
        private int _turn;

        public LockstepSampler(SensorChannel[] channels, ImuSettings settings)
        {
            _channels = channels;
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

        /// <summary>
        /// Services the sensors (drains their FIFOs), each every other call, in turn: a drain costs
        /// about the same for one frame as for two on the interpreter (and on the device every
        /// I2C transfer allocates), so each chip is read every 20 ms. Call every loop tick.
        /// Returns a bit per sensor (by segment) that became usable or stopped being usable.
        /// </summary>
        public int Service(long nowUs)
        {
            int turn = _turn;
            _turn = turn ^ 1;
            int changed = 0;
            SensorChannel[] channels = _channels;
            for (int i = 0; i < channels.Length; i++)
            {
                if (((i + turn) & 1) == 0 && channels[i].Service(nowUs)) changed |= 1 << i;
            }
            return changed;
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
            SensorChannel[] channels = _channels;
            ImuSample[] samples = frame.Samples;
            for (int i = 0; i < channels.Length; i++)
            {
                if (!channels[i].SampleAt(t, _accelScale, _gyroScale, samples[i])) complete = false;
            }
            if (!complete) IncompleteSamples++;
            return true;
        }
    }
}
