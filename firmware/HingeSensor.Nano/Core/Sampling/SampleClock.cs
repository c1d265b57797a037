namespace HingeSensor.Nano.Core.Sampling
{
    /// <summary>
    /// When each FIFO frame of one chip was sampled, in device microseconds. The chip runs on its
    /// own oscillator (±1 % over temperature), so its frames drift against the device clock and
    /// against the other chips. Every drain says: frames up to index n − 1 exist at read time R, so
    /// frame n − 1 was sampled in (R − period, R]. The estimate keeps the newest frame inside that
    /// bracket (phase) and learns the period from frames counted over many seconds (rate).
    /// </summary>
    public sealed class SampleClock
    {
        private readonly float _nominalPeriodUs;
        // Internal, not private: ImuFrameBuffer.InterpolateAt works TimeOf out from them itself,
        // three times per sensor and sample (a call each on the device's interpreter).
        internal float _periodUs;
        internal long _anchorUs;
        internal long _anchorIndex;
        private long _refUs;
        private long _refIndex;
        internal bool _started; // read by SensorChannel.SampleAt at every sample (a call less per sensor)
        private long _nextRateUs;

        /// <summary>The rate is re-learned from at least this long a baseline.</summary>
        public const long RateBaselineUs = 5000000;

        /// <summary>How often the rate is re-learned, µs.</summary>
        public const long RateCheckUs = 1000000;

        public SampleClock(int rateHz)
        {
            _nominalPeriodUs = 1000000f / rateHz;
            Reset();
        }

        public bool Started { get { return _started; } }

        /// <summary>The estimated sample period, µs.</summary>
        public float PeriodUs { get { return _periodUs; } }

        public void Reset()
        {
            _periodUs = _nominalPeriodUs;
            _started = false;
        }

        /// <summary>After a drain: at <paramref name="readUs"/> the frames before <paramref name="nextIndex"/> were in the FIFO.</summary>
        public void Observe(long readUs, long nextIndex)
        {
            if (nextIndex <= 0) return;
            long newest = nextIndex - 1;
            if (!_started)
            {
                _anchorIndex = newest;
                _anchorUs = readUs - (long)(0.5f * _periodUs);
                _refUs = readUs;
                _refIndex = nextIndex;
                _nextRateUs = readUs + RateCheckUs;
                _started = true;
                return;
            }
            // TimeOf(newest), written out (a call per chip per pass saved).
            long predicted = _anchorUs + (long)((newest - _anchorIndex) * _periodUs);
            long period = (long)_periodUs;
            if (predicted > readUs) predicted = readUs;                      // cannot be sampled after it was read
            else if (predicted + period < readUs) predicted = readUs - period; // the next one would have been there
            _anchorIndex = newest;
            _anchorUs = predicted;

            // The rate moves with temperature over minutes: re-learn it once a second, not at
            // every drain.
            if (readUs < _nextRateUs) return;
            _nextRateUs = readUs + RateCheckUs;
            long span = readUs - _refUs;
            if (span >= RateBaselineUs && nextIndex > _refIndex)
            {
                float measured = (float)span / (nextIndex - _refIndex);
                // Never trust a wild figure (a stalled loop, a reset): chips are within ±2 % of nominal.
                if (measured > 0.98f * _nominalPeriodUs && measured < 1.02f * _nominalPeriodUs)
                    _periodUs += 0.5f * (measured - _periodUs);
                if (span > 12 * RateBaselineUs)
                {
                    _refUs = readUs;
                    _refIndex = nextIndex;
                }
            }
        }

        /// <summary>Estimated sampling time of a frame, device µs (written out in <see cref="Imu.ImuFrameBuffer.InterpolateAt"/>: keep the two alike).</summary>
        public long TimeOf(long index)
        {
            return _anchorUs + (long)((index - _anchorIndex) * _periodUs);
        }
    }
}
