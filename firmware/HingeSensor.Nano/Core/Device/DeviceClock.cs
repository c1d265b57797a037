namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The device's two times: microseconds since boot, as the main loop was last given them, and
    /// the wall clock a host sets (SetTime), kept as an offset from the first.
    /// </summary>
    public sealed class DeviceClock
    {
        // 2020-01-01 .. 2100-01-01 UTC: a clock outside it is a client's mistake (0 would make
        // every later session look as if the time had never been set).
        private const long EarliestUnixMs = 1577836800000;
        private const long LatestUnixMs = 4102444800000;

        private long _bootUs;
        private long _wallOffsetMs;
        private bool _timeSet;

        /// <summary>The time of the loop pass under way, µs. A field: reading it costs no call on the interpreter.</summary>
        public long NowUs;

        public void Boot(long nowUs)
        {
            NowUs = nowUs;
            _bootUs = nowUs;
        }

        /// <summary>Device time, ms since boot.</summary>
        public uint NowMs { get { return (uint)((NowUs - _bootUs) / 1000); } }

        /// <summary>A host has set the wall clock since boot.</summary>
        public bool TimeSet { get { return _timeSet; } }

        /// <summary>Sets the wall clock; false (and unchanged) for a time outside 2020-2100.</summary>
        public bool SetTime(long unixMs)
        {
            if (unixMs < EarliestUnixMs || unixMs >= LatestUnixMs) return false;
            _wallOffsetMs = unixMs - NowMs;
            _timeSet = true;
            return true;
        }

        /// <summary>Wall clock, unix ms, or 0 if never set.</summary>
        public long UnixMs { get { return _timeSet ? _wallOffsetMs + NowMs : 0; } }
    }
}
