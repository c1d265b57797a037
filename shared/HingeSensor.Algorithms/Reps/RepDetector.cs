using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Reps
{
    /// <summary>
    /// Follows the torso angle through standing → descending → bottom → ascending → standing and
    /// summarises each rep: timing, depth, worst trunk and head flexion, faults. Reps shallower
    /// than the minimum depth are reported as partial and not counted.
    /// </summary>
    public sealed class RepDetector
    {
        private const int Levels = 181;

        private readonly RepSettings _settings;
        // First time of this rep the torso reached each whole degree: lets the end of the descent
        // be placed against the final depth, which is only known once the rep is over.
        private readonly float[] _firstAtLevel = new float[Levels];
        private RepPhase _phase;
        private float _lastStandingS;
        private float _maxTorso;
        private float _maxTorsoAtS;
        private float _lastNearBottomS;
        private float _repStartS;
        private float _standingLow;
        private int _highestLevel;
        private float _maxTrunk;
        private float _maxHead;
        private float _minHead;
        private float _maxHinge;
        private int _faultMask;
        private int _counted;
        private bool _hasCompleted;
        private readonly Rep _completed = new Rep();

        public RepDetector(RepSettings settings)
        {
            _settings = settings;
            Reset();
        }

        public RepSettings Settings { get { return _settings; } }

        public RepPhase Phase { get { return _phase; } }

        /// <summary>Counted reps so far.</summary>
        public int Count { get { return _counted; } }

        public void Reset()
        {
            _phase = RepPhase.Standing;
            _lastStandingS = 0f;
            _standingLow = _settings.StandingDeg;
            _counted = 0;
            _hasCompleted = false;
        }

        /// <summary>
        /// Feeds one sample. Returns true when a rep (counted or partial) has just finished; read it
        /// with <see cref="TakeCompleted"/>.
        /// </summary>
        public bool Update(PostureMetrics m, int activeFaultMask)
        {
            if ((m.ValidSegments & (1 << (int)Segment.UpperBack)) == 0)
            {
                // Without the upper back there is no torso angle: abandon a rep in progress.
                _phase = RepPhase.Standing;
                return false;
            }
            float t = m.TimeS;
            float torso = m.TorsoAngleDeg;

            if (_phase == RepPhase.Standing)
            {
                // The rep starts where the torso last stood lowest: at the standing band, or at the
                // bottom of a slow drift above it (a wearer who stands slightly bent).
                if (torso <= _settings.StandingDeg || torso <= _standingLow)
                {
                    _lastStandingS = t;
                    _standingLow = torso > _settings.StandingDeg ? torso : _settings.StandingDeg;
                }
                if (torso > _settings.StartDeg) Begin(t, m, activeFaultMask);
                return false;
            }

            Track(t, m, activeFaultMask);

            if (torso <= _settings.StandingDeg) return Complete(t);

            if (torso > _maxTorso)
            {
                _maxTorso = torso;
                _maxTorsoAtS = t;
                _phase = RepPhase.Descending;
            }
            else if (_phase == RepPhase.Descending && (torso < _maxTorso - 2f || t - _maxTorsoAtS > 0.25f))
            {
                _phase = RepPhase.Bottom;
            }
            else if (_phase == RepPhase.Bottom && torso < _maxTorso - _settings.BottomBandDeg)
            {
                _phase = RepPhase.Ascending;
            }
            return false;
        }

        /// <summary>Copies the rep that just finished into <paramref name="into"/>; false when none is new.</summary>
        public bool TakeCompleted(Rep into)
        {
            if (!_hasCompleted) return false;
            into.CopyFrom(_completed);
            _hasCompleted = false;
            return true;
        }

        private void Begin(float t, PostureMetrics m, int faults)
        {
            _phase = RepPhase.Descending;
            for (int i = 0; i < Levels; i++) _firstAtLevel[i] = -1f;
            _highestLevel = -1;
            _maxTorso = m.TorsoAngleDeg;
            _maxTorsoAtS = t;
            _maxTrunk = float.MinValue;
            _maxHead = float.MinValue;
            _minHead = float.MaxValue;
            _maxHinge = float.MinValue;
            _faultMask = 0;
            _repStartS = _lastStandingS;
            _lastNearBottomS = t;
            Track(t, m, faults);
        }

        private void Track(float t, PostureMetrics m, int faults)
        {
            float torso = m.TorsoAngleDeg;
            int level = (int)torso;
            if (level >= Levels) level = Levels - 1;
            while (_highestLevel < level)
            {
                _highestLevel++;
                if (_highestLevel >= 0) _firstAtLevel[_highestLevel] = t;
            }
            if (torso >= _maxTorso - _settings.BottomBandDeg) _lastNearBottomS = t;
            int valid = m.ValidSegments; // masks, not the properties: a call each on the device
            if ((valid & 6) == 6)
            {
                if (m.TrunkFlexionDeg > _maxTrunk) _maxTrunk = m.TrunkFlexionDeg;
                if (m.HingeAngleDeg > _maxHinge) _maxHinge = m.HingeAngleDeg;
            }
            if ((valid & 3) == 3)
            {
                if (m.HeadFlexionDeg > _maxHead) _maxHead = m.HeadFlexionDeg;
                if (m.HeadFlexionDeg < _minHead) _minHead = m.HeadFlexionDeg;
            }
            _faultMask |= faults;
        }

        private bool Complete(float t)
        {
            _phase = RepPhase.Standing;
            _lastStandingS = t;
            _standingLow = _settings.StandingDeg;
            float duration = t - _repStartS;
            if (duration < _settings.MinDurationS || duration > _settings.MaxDurationS) return false;

            int bottomLevel = (int)(_maxTorso - _settings.BottomBandDeg);
            if (bottomLevel < 0) bottomLevel = 0;
            if (bottomLevel > _highestLevel) bottomLevel = _highestLevel;
            float firstNearBottom = bottomLevel >= 0 && _firstAtLevel[bottomLevel] >= 0f ? _firstAtLevel[bottomLevel] : _maxTorsoAtS;

            Rep rep = _completed;
            rep.Number = 0;
            rep.StartS = _repStartS;
            rep.EndS = t;
            rep.DepthDeg = _maxTorso;
            rep.DescentS = firstNearBottom - _repStartS;
            rep.BottomS = _lastNearBottomS - firstNearBottom;
            rep.AscentS = t - _lastNearBottomS;
            rep.MaxTrunkFlexionDeg = _maxTrunk == float.MinValue ? float.NaN : _maxTrunk;
            rep.MaxHeadFlexionDeg = _maxHead == float.MinValue ? float.NaN : _maxHead;
            rep.MinHeadFlexionDeg = _minHead == float.MaxValue ? float.NaN : _minHead;
            rep.MaxHingeAngleDeg = _maxHinge == float.MinValue ? float.NaN : _maxHinge;
            rep.FaultMask = _faultMask & ~Faults.Bit(Fault.None);
            rep.Counted = _maxTorso >= _settings.MinDepthDeg;
            if (rep.Counted)
            {
                _counted++;
                rep.Number = _counted;
            }
            _hasCompleted = true;
            return true;
        }
    }
}
