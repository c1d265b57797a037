namespace HingeSensor.Nano.Core.Haptics
{
    /// <summary>
    /// Plays haptic patterns without ever blocking sampling: <see cref="Tick"/> is called from the
    /// loop and switches the motor only when a pulse boundary has passed. A more urgent pattern
    /// cuts the one playing short; a less urgent one waits (one waiting slot, the latest wins).
    /// Quiet mode and intensity come from the config.
    /// </summary>
    public sealed class HapticEngine
    {
        private readonly IMotor _motor;
        private HapticPattern _playing;
        private HapticPattern _waiting;
        private int[] _rhythm = new int[0];
        private int _step;
        private long _stepEndsUs;
        private bool _on;

        public HapticEngine(IMotor motor)
        {
            _motor = motor;
            Intensity = 0.8f;
        }

        /// <summary>0-1, scales every pulse.</summary>
        public float Intensity;

        /// <summary>When set nothing is played (the wearer trains silently; the host still sees the events).</summary>
        public bool Quiet;

        public HapticPattern Playing { get { return _playing; } }

        /// <summary>Patterns started since boot (tests and diagnostics).</summary>
        public int Started;

        public void Play(HapticPattern p, long nowUs)
        {
            if (Quiet || p == HapticPattern.None) return;
            if (_playing == HapticPattern.None || p > _playing) Begin(p, nowUs);
            else if (p >= _waiting) _waiting = p;
        }

        public void Tick(long nowUs)
        {
            if (_playing == HapticPattern.None || nowUs < _stepEndsUs) return;
            _step++;
            if (_step >= _rhythm.Length)
            {
                Motor(false);
                _playing = HapticPattern.None;
                HapticPattern next = _waiting;
                _waiting = HapticPattern.None;
                if (next != HapticPattern.None) Begin(next, nowUs);
                return;
            }
            Motor(_step % 2 == 0);
            _stepEndsUs += _rhythm[_step] * 1000L;
        }

        public void Stop()
        {
            Motor(false);
            _playing = HapticPattern.None;
            _waiting = HapticPattern.None;
        }

        private void Begin(HapticPattern p, long nowUs)
        {
            _playing = p;
            _rhythm = HapticRhythm.Of(p);
            _step = 0;
            _stepEndsUs = nowUs + _rhythm[0] * 1000L;
            Started++;
            Motor(true);
        }

        private void Motor(bool on)
        {
            if (on == _on && !on) return;
            _on = on;
            _motor.SetDuty(on ? Intensity * HapticRhythm.Strength(_playing) : 0f);
        }
    }
}
