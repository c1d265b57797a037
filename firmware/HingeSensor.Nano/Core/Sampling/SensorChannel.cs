using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Imu;

namespace HingeSensor.Nano.Core.Sampling
{
    /// <summary>
    /// One sensor: its driver, the frames drained from it, the clock that dates them, and its
    /// health. A sensor that stops answering (three failed drains, or no frames for 300 ms) is
    /// declared lost and restarted with exponential backoff (0.25 s doubling to 8 s) until it answers
    /// again; the others carry on.
    /// </summary>
    public sealed class SensorChannel
    {
        public const int FailuresToLose = 3;
        public const long StallUs = 300000;
        public const long FirstBackoffUs = 250000;
        public const long MaxBackoffUs = 8000000;

        private readonly Mpu6050Driver _driver;
        // One service's most (30 frames) on top of those still waiting for the lockstep grid (35 ms
        // behind: four) and the one before them that a grid time interpolates from.
        private readonly ImuFrameBuffer _frames = new ImuFrameBuffer(Mpu6050Driver.MaxFramesPerService + 10);
        private readonly SampleClock _clock;
        private ChannelHealth _health = ChannelHealth.Absent;
        private bool _everRan;
        private int _failures;
        private long _backoffUs = FirstBackoffUs;
        private long _retryAtUs;
        private long _lastFrameUs;

        public SensorChannel(II2cDevice device, ImuSettings settings)
        {
            _driver = new Mpu6050Driver(device, settings);
            _clock = new SampleClock(settings.RateHz);
        }

        public Mpu6050Driver Driver { get { return _driver; } }
        public ImuFrameBuffer Frames { get { return _frames; } }
        public SampleClock Clock { get { return _clock; } }
        public ChannelHealth Health { get { return _health; } }

        /// <summary>Times the sensor was declared lost.</summary>
        public int Losses;

        /// <summary>
        /// This sensor's reading at device time <paramref name="t"/> into <paramref name="s"/>
        /// (see <see cref="ImuFrameBuffer.InterpolateAt"/>); false and not present while the sensor
        /// is not usable or its frames do not bracket t.
        /// </summary>
        public bool SampleAt(long t, float accelScale, float gyroScale, ImuSample s)
        {
            if (_health != ChannelHealth.Ok || !_clock._started) // the field: the property is a call per sensor and sample
            {
                s.Present = false;
                return false;
            }
            return _frames.InterpolateAt(t, _clock, accelScale, gyroScale, s);
        }

        /// <summary>Usable: running and dating its frames.</summary>
        public bool IsOk { get { return _health == ChannelHealth.Ok; } }

        public void Begin(long nowUs)
        {
            _driver.Start(nowUs);
            _health = _driver.State == DriverState.Failed ? ChannelHealth.Absent : ChannelHealth.Starting;
            if (_health == ChannelHealth.Absent) ScheduleRetry(nowUs);
        }

        /// <summary>
        /// Steps the driver and keeps the health; called every loop tick. Returns true when the
        /// channel became usable or stopped being usable (the wearer, the host and the recording
        /// hear of it): as a return value, because asking afterwards would be one more call per
        /// channel and pass on the interpreter.
        /// </summary>
        public bool Service(long nowUs)
        {
            if (_health == ChannelHealth.Absent || _health == ChannelHealth.Retrying)
            {
                if (nowUs < _retryAtUs) return false;
                _driver.Start(nowUs);
                if (_driver.State == DriverState.Failed)
                {
                    ScheduleRetry(nowUs);
                    return false;
                }
                _health = ChannelHealth.Starting;
            }

            int r = _driver.Service(nowUs, _frames);
            if (_health == ChannelHealth.Starting)
            {
                if (_driver.State == DriverState.Failed)
                {
                    ScheduleRetry(nowUs);
                    return SetHealth(_everRan ? ChannelHealth.Retrying : ChannelHealth.Absent);
                }
                if (_driver.State == DriverState.Running)
                {
                    _everRan = true;
                    _failures = 0;
                    _backoffUs = FirstBackoffUs;
                    _frames.Clear();
                    _clock.Reset();
                    _lastFrameUs = nowUs;
                    return SetHealth(ChannelHealth.Ok);
                }
                return false;
            }

            // Running.
            if (r == Mpu6050Driver.BusFailure)
            {
                if (++_failures >= FailuresToLose) return Lose(nowUs);
                return false;
            }
            _failures = 0;
            if (r == Mpu6050Driver.Overflow)
            {
                // Frames were lost: the sequence restarts at 0, and so must the dating.
                _frames.Clear();
                _clock.Reset();
                _lastFrameUs = nowUs;
                return false;
            }
            if (r > 0)
            {
                _lastFrameUs = nowUs;
                _clock.Observe(nowUs, _driver.NextIndex);
                return false;
            }
            if (nowUs - _lastFrameUs > StallUs) return Lose(nowUs); // answering, but producing nothing: a reset or brown-out left it asleep
            return false;
        }

        private bool Lose(long nowUs)
        {
            Losses++;
            _frames.Clear();
            _clock.Reset();
            _backoffUs = FirstBackoffUs;
            ScheduleRetry(nowUs);
            return SetHealth(ChannelHealth.Retrying);
        }

        private void ScheduleRetry(long nowUs)
        {
            _retryAtUs = nowUs + _backoffUs;
            _backoffUs = _backoffUs * 2 > MaxBackoffUs ? MaxBackoffUs : _backoffUs * 2;
        }

        // True when the channel went from usable to not, or back.
        private bool SetHealth(ChannelHealth h)
        {
            bool wasOk = _health == ChannelHealth.Ok;
            _health = h;
            return wasOk != (h == ChannelHealth.Ok);
        }
    }
}
