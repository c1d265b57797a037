namespace HingeSensor.Nano.Core.Haptics
{
    /// <summary>
    /// Plays haptic patterns without ever blocking sampling: <see cref="Tick"/> is called from the
    /// loop and switches the motor only when a pulse boundary has passed. A more urgent pattern
    /// cuts the one playing short; a less urgent one waits (one waiting slot, the latest wins).
    /// Quiet mode and intensity come from the config; answers to the wearer's own action
    /// (<see cref="HapticRhythm.AnswersTheWearer"/>) ignore quiet mode and never play weaker than
    /// <see cref="AnswerFloor"/>.
    /// </summary>
    public sealed class HapticEngine
    {
        private readonly IMotor _motor;
        private HapticPattern _playing;
        private HapticPattern _waiting;
        private int[] _rhythm = new int[0];
        private int _length;
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

        /// <summary>The least strength an answer to the wearer plays at (a config of 0 % must not hide the pairing passkey).</summary>
        public const float AnswerFloor = 0.6f;

        /// <summary>When set nothing is played (the wearer trains silently; the host still sees the events).</summary>
        public bool Quiet;

        public HapticPattern Playing { get { return _playing; } }

        /// <summary>Patterns started since boot (tests and diagnostics).</summary>
        public int Started;

        /// <summary>
        /// When the pulse playing ends (long.MaxValue when nothing plays): a field the loop reads
        /// before it calls <see cref="Tick"/>, because on the device's interpreter a call that
        /// finds nothing to do costs ≈ 700 instructions a pass.
        /// </summary>
        public long DueUs = long.MaxValue;

        public void Play(HapticPattern p, long nowUs)
        {
            if (p == HapticPattern.None || (Quiet && !HapticRhythm.AnswersTheWearer(p))) return;
            if (_playing == HapticPattern.None || p > _playing) Begin(p, HapticRhythm.Of(p), -1, nowUs);
            else if (p >= _waiting) _waiting = p;
        }

        /// <summary>
        /// Plays a rhythm made at run time (the pairing passkey) under pattern <paramref name="p"/>,
        /// cutting short whatever plays; <paramref name="rhythm"/> is read while it plays, not copied.
        /// </summary>
        public void PlayRhythm(HapticPattern p, int[] rhythm, int length, long nowUs)
        {
            Begin(p, rhythm, length, nowUs);
        }

        public void Tick(long nowUs)
        {
            if (_playing == HapticPattern.None || nowUs < _stepEndsUs) return;
            _step++;
            if (_step >= _length)
            {
                Motor(false);
                _playing = HapticPattern.None;
                DueUs = long.MaxValue;
                HapticPattern next = _waiting;
                _waiting = HapticPattern.None;
                if (next != HapticPattern.None) Begin(next, HapticRhythm.Of(next), -1, nowUs);
                return;
            }
            Motor(_step % 2 == 0);
            _stepEndsUs += _rhythm[_step] * 1000L;
            DueUs = _stepEndsUs;
        }

        public void Stop()
        {
            Motor(false);
            _playing = HapticPattern.None;
            _waiting = HapticPattern.None;
            DueUs = long.MaxValue;
        }

        // length −1: the whole array.
        private void Begin(HapticPattern p, int[] rhythm, int length, long nowUs)
        {
            if (length < 0) length = rhythm.Length;
            if (length == 0) return; // a pattern with no rhythm of its own (the passkey, through Play)
            _playing = p;
            _rhythm = rhythm;
            _length = length;
            _step = 0;
            _stepEndsUs = nowUs + _rhythm[0] * 1000L;
            DueUs = _stepEndsUs;
            Started++;
            Motor(true);
        }

        private void Motor(bool on)
        {
            if (on == _on && !on) return;
            _on = on;
            float level = HapticRhythm.AnswersTheWearer(_playing) && Intensity < AnswerFloor ? AnswerFloor : Intensity;
            _motor.SetDuty(on ? level * HapticRhythm.Strength(_playing) : 0f);
        }
    }
}
