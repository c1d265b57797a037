using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Reps
{
    /// <summary>
    /// Follows the torso angle through standing → descending → bottom → ascending → standing and
    /// summarises each rep: timing, depth, worst trunk and head flexion, faults, and its shape —
    /// pattern (hinge, squat, stoop), the pelvis's share of the torso's inclination, the sacrum's
    /// drop, depth reached, lockout. Reps shallower than the minimum depth are reported as partial
    /// and not counted, and so is a bend the activity context judged a crouch (tying a shoe:
    /// <see cref="ActivityClassifier.Crouched"/>), however deep or long — no limit on the time
    /// at the bottom is needed for it, and a paused rep stays a rep. A rep is reported once its
    /// lockout is known: a moment after the torso is back in the standing band
    /// (<see cref="CoachingSettings.LockoutWindowS"/>), or where it stalled short of it
    /// (<see cref="CoachingSettings.StallS"/>). Coaching cues go to the queue
    /// as soon as they are known: depth and squatting during the rep, tempo and lockout at its end.
    /// </summary>
    public sealed class RepDetector
    {
        private const int Levels = 181;
        private const int MaxOwnDepthReps = 8;

        private readonly RepSettings _settings;
        private readonly CoachingSettings _coaching;
        private readonly AlignmentSettings _alignment;
        private readonly ActivitySettings _activity;
        private readonly CoachingCueQueue _cues;
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

        // The rep's shape.
        private float _pelvisAtMax;
        // The share as the descent got under way, once the torso has passed the lead angle.
        private float _leadShare;
        private bool _leadKnown;
        private float _dropCm;
        private float _dropAtStartCm;
        private float _maxDropCm;
        private bool _depthReached;
        // This rep's depth target less its tolerance, fixed at its start.
        private float _depthLine;
        // The wearer's own end range: the depths of their last clean hinges (a ring), how many so far.
        private readonly float[] _cleanDepths = new float[MaxOwnDepthReps];
        private int _cleanReps;
        // The sacrum's un-leaked integral (null: none), restarted at the rep's start (the torso
        // past the start angle): the tick's length, the live drop at the start (the sacrum may already
        // be going down), the sums at the deepest torso, whether the rep ended by stalling.
        private SacrumIntegral _raw = new SacrumIntegral();
        private bool _attached;
        private float _tickS;
        private float _startDropCm;
        private int _bottomN;
        private float _bottomH;
        private bool _stalled;
        private bool _squatCued;
        private bool _seated;
        // The bend under way was judged a crouch (set from the context, cleared at the next rep's start).
        private bool _crouched;
        // Stall: the lowest torso angle of the ascent and when it was reached.
        private float _ascentLow;
        private float _ascentLowAtS;
        // A rep that ended by stalling: the next one starts only this far up.
        private float _restartDeg;
        // Lockout window after the rep's end.
        private bool _locking;
        private float _lockUntilS;
        private float _topTorso;
        private float _topTrunk;

        public RepDetector(RepSettings settings)
            : this(settings, new CoachingSettings(), new AlignmentSettings(), new ActivitySettings(), new CoachingCueQueue(4)) { }

        public RepDetector(RepSettings settings, CoachingSettings coaching, AlignmentSettings alignment, ActivitySettings activity, CoachingCueQueue cues)
        {
            _settings = settings;
            _coaching = coaching;
            _alignment = alignment;
            _activity = activity;
            _cues = cues;
            Reset();
        }

        public RepSettings Settings { get { return _settings; } }

        public RepPhase Phase { get { return _phase; } }

        /// <summary>Counted reps so far.</summary>
        public int Count { get { return _counted; } }

        /// <summary>Where the cues go.</summary>
        public CoachingCueQueue Cues { get { return _cues; } }

        public void Reset()
        {
            _phase = RepPhase.Standing;
            _lastStandingS = 0f;
            _standingLow = _settings.StandingDeg;
            _restartDeg = _settings.StartDeg;
            _counted = 0;
            _cleanReps = 0;
            _hasCompleted = false;
            _locking = false;

        }

        /// <summary>
        /// The activity context, at its own rate: the sacrum's drop below standing, cm, whether
        /// the wearer is seated (a bend from a chair is no exercise: it earns no cue) and whether
        /// the bend under way is a crouch (no cue, and no count).
        /// </summary>
        public void SetContext(float sacrumDropCm, bool seated, bool crouched)
        {
            Context(sacrumDropCm, seated, crouched);
        }

        /// <summary>
        /// The sacrum's un-leaked integral (<see cref="SacrumHeight.Raw"/>), summed every <paramref name="tickS"/> s: restarted at each
        /// rep's start, it gives the rep's drop corrected at its end (<see cref="Rep.SacrumDropCm"/>).
        /// Without it the rep's drop is the live estimate's.
        /// </summary>
        public void Attach(SacrumIntegral raw, float tickS)
        {
            _raw = raw;
            _tickS = tickS;
            _attached = true;
        }

        private void Context(float sacrumDropCm, bool seated, bool crouched)
        {
            _dropCm = sacrumDropCm;
            _seated = seated;
            // Judged while the torso goes down, cleared only once it is upright: it stays with the rep.
            if (crouched && _phase != RepPhase.Standing) _crouched = true;
            // Standing, the drop is the baseline of the next rep: its sacrum starts going down
            // before its torso passes the start angle (a squat's does from the first moment).
            if (_phase == RepPhase.Standing)
            {
                if (!_locking) _dropAtStartCm = sacrumDropCm;
            }
            else if (sacrumDropCm > _maxDropCm) _maxDropCm = sacrumDropCm;
        }

        /// <summary>
        /// Feeds one sample. Returns true when a rep (counted or partial) has just been reported;
        /// read it with <see cref="TakeCompleted"/>.
        /// </summary>
        public bool Update(PostureMetrics m, int activeFaultMask)
        {
            float t = m.TimeS;
            if ((m.ValidSegments & (1 << (int)Segment.UpperBack)) == 0)
            {
                // Without the upper back there is no torso angle: abandon a rep in progress; one
                // already over is reported with what its lockout window saw.
                _phase = RepPhase.Standing;
                return _locking && Finish();
            }
            float torso = m.TorsoAngleDeg;

            if (_phase == RepPhase.Standing)
            {
                bool finished = false;
                if (_locking)
                {
                    if (torso < _topTorso) _topTorso = torso;
                    if ((m.ValidSegments & 6) == 6 && m.TrunkFlexionDeg < _topTrunk) _topTrunk = m.TrunkFlexionDeg;
                    if (t >= _lockUntilS || torso > _restartDeg) finished = Finish();
                }
                // The rep starts where the torso last stood lowest: at the standing band, or at the
                // bottom of a slow drift above it (a wearer who stands slightly bent).
                if (torso <= _settings.StandingDeg || torso <= _standingLow)
                {
                    _lastStandingS = t;
                    _standingLow = torso > _settings.StandingDeg ? torso : _settings.StandingDeg;
                }
                if (_restartDeg != _settings.StartDeg) Lower(torso);
                if (torso > _restartDeg) Begin(t, m, activeFaultMask);
                return finished;
            }

            Track(t, m, activeFaultMask);

            if (torso <= _settings.StandingDeg) return Complete(t, m, false);

            if (torso > _maxTorso)
            {
                _maxTorso = torso;
                _maxTorsoAtS = t;
                _pelvisAtMax = m.SacrumSagittalDeg;
                _bottomN = _raw.N;
                _bottomH = _raw.H;
                _phase = RepPhase.Descending;
                if (!_depthReached && torso >= _depthLine) DepthReached(t, torso);
            }
            else if (_phase == RepPhase.Descending && (torso < _maxTorso - 2f || t - _maxTorsoAtS > 0.25f))
            {
                _phase = RepPhase.Bottom;
                if (!_squatCued) CueSquat(t);
            }
            else if (_phase == RepPhase.Bottom && torso < _maxTorso - _settings.BottomBandDeg)
            {
                _phase = RepPhase.Ascending;
                _ascentLow = torso;
                _ascentLowAtS = t;
            }
            else if (_phase == RepPhase.Ascending)
            {
                if (torso < _ascentLow - 1f)
                {
                    _ascentLow = torso;
                    _ascentLowAtS = t;
                }
                else if (t - _ascentLowAtS >= _coaching.StallS && _ascentLow <= 0.5f * _maxTorso)
                {
                    return Complete(t, m, true);
                }
            }
            return false;
        }

        /// <summary>Copies the rep that was just reported into <paramref name="into"/>; false when none is new.</summary>
        public bool TakeCompleted(Rep into)
        {
            if (!_hasCompleted) return false;
            into.CopyFrom(_completed);
            _hasCompleted = false;
            return true;
        }

        /// <summary>Reports a rep still in its lockout window (end of a recording); true when there was one.</summary>
        public bool Flush()
        {
            return _locking && Finish();
        }

        // After a stalled rep: the restart threshold follows the torso down to the usual one.
        private void Lower(float torso)
        {
            float restart = torso + (_settings.StartDeg - _settings.StandingDeg);
            if (restart < _settings.StartDeg) restart = _settings.StartDeg;
            if (restart < _restartDeg) _restartDeg = restart;
        }

        private void Begin(float t, PostureMetrics m, int faults)
        {
            _phase = RepPhase.Descending;
            for (int i = 0; i < Levels; i++) _firstAtLevel[i] = -1f;
            _highestLevel = -1;
            _maxTorso = m.TorsoAngleDeg;
            _maxTorsoAtS = t;
            _pelvisAtMax = m.SacrumSagittalDeg;
            _leadKnown = false;
            _maxTrunk = float.MinValue;
            _maxHead = float.MinValue;
            _minHead = float.MaxValue;
            _maxHinge = float.MinValue;
            _faultMask = 0;
            _repStartS = _lastStandingS;
            _lastNearBottomS = t;
            _maxDropCm = _dropCm;
            _raw.Restart();
            _startDropCm = _dropCm - _dropAtStartCm;
            _bottomN = 0;
            _bottomH = 0f;
            _depthReached = false;
            _depthLine = DepthTarget() - _coaching.DepthToleranceDeg;
            _squatCued = false;
            _crouched = false;
            _restartDeg = _settings.StartDeg;
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
            if (!_leadKnown && torso >= _activity.LeadDeg)
            {
                _leadShare = RepPatternRule.Share(m.SacrumSagittalDeg, torso);
                _leadKnown = true;
            }
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

        // The torso is back in the standing band (or stalled short of it): the rep's figures are
        // fixed here, its lockout over the window that follows (none after a stall).
        private bool Complete(float t, PostureMetrics m, bool stalled)
        {
            _phase = RepPhase.Standing;
            _lastStandingS = t;
            _standingLow = _settings.StandingDeg;
            _stalled = stalled;
            if (stalled)
            {
                _standingLow = m.TorsoAngleDeg;
                _restartDeg = m.TorsoAngleDeg + (_settings.StartDeg - _settings.StandingDeg);
            }
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
            rep.Counted = _maxTorso >= _settings.MinDepthDeg && !_crouched;
            rep.DepthReached = _depthReached;
            if (rep.Counted)
            {
                _counted++;
                rep.Number = _counted;
            }
            _topTorso = m.TorsoAngleDeg;
            _topTrunk = (m.ValidSegments & 6) == 6 ? m.TrunkFlexionDeg : 0f;
            _locking = true;
            _lockUntilS = t + _coaching.LockoutWindowS;
            if (stalled) return Finish();
            return false;
        }

        // The lockout window is over: the rep's shape and its end-of-rep cues.
        private bool Finish()
        {
            _locking = false;
            Rep rep = _completed;
            CoachingSettings c = _coaching;
            float share = RepPatternRule.Share(_pelvisAtMax, _maxTorso);
            // A rep shallower than the lead angle is judged at its bottom.
            float lead = _leadKnown ? _leadShare : share;
            // Integrated here: corrected at the end, unknown after a stall (no standing end to
            // tell the error by); else the live estimate.
            float drop = !_attached ? _maxDropCm - _dropAtStartCm : _stalled ? float.NaN : CorrectedDropCm();
            rep.PelvisShare = share;
            rep.LeadShare = lead;
            rep.SacrumDropCm = drop;
            rep.Pattern = RepPatternRule.Classify(lead, drop, _pelvisAtMax, _activity);
            float over = -c.OverExtensionDeg;
            if (_topTorso < over || _topTrunk < over) rep.Lockout = Lockout.OverExtension;
            else if (_topTorso <= c.LockoutToleranceDeg) rep.Lockout = Lockout.Ok;
            else rep.Lockout = Lockout.Incomplete;
            _hasCompleted = true;
            // A clean hinge shows the end range; once it is known, only one that went there (a lazy
            // shallow rep would pull the target down, where a coach would not).
            if (rep.Counted && rep.FaultMask == 0 && rep.Pattern == RepPattern.Hinge && (_cleanReps < _coaching.OwnDepthReps || rep.DepthReached))
                LearnDepth(rep.DepthDeg);

            // A bend from a chair or a partial rep is no exercise: no end-of-rep cue.
            if (!rep.Counted || _seated) return true;
            float t = rep.EndS;
            if (!_squatCued && c.Exercise == Exercise.Hinge && rep.Pattern == RepPattern.Squat)
            {
                _squatCued = true;
                _cues.Enqueue(CoachingCue.Squatting, t, rep.Number, share);
            }
            if (c.DescentTargetS > 0f && rep.DescentS < c.FastDescentRatio * c.DescentTargetS)
                _cues.Enqueue(CoachingCue.FastDescent, t, rep.Number, rep.DescentS);
            if (rep.Lockout == Lockout.Incomplete) _cues.Enqueue(CoachingCue.IncompleteLockout, t, rep.Number, _topTorso);
            else if (rep.Lockout == Lockout.OverExtension) _cues.Enqueue(CoachingCue.LeaningBack, t, rep.Number, _topTorso < _topTrunk ? _topTorso : _topTrunk);
            return true;
        }

        // The rep starts and ends standing still (true height and vertical velocity 0), so what the
        // un-leaked integral shows at its end is its error. Modelled as a constant acceleration
        // bias a and a start velocity v0 (error(τ) = v0·τ + a·τ²/2), the end's height and velocity
        // give both; the error at the deepest torso is taken out of the height there. Unknown (NaN)
        // when the bias needed is beyond a bias, the rep too long, or the drop beyond the body.
        private float CorrectedDropCm()
        {
            ActivitySettings s = _activity;
            SacrumIntegral raw = _raw;
            int n = raw.N;
            float dt = _tickS;
            float T = n * dt;
            if (n < 5 || T > s.MaxRepIntegrationS) return float.NaN;
            float d0 = 0.01f * _startDropCm; // the sacrum this far below standing at the start, m
            // The error at the end: standing again (d0 above the start), at rest.
            float v1 = raw.V * dt;
            float h1 = raw.H * dt * dt - d0;
            float tb = _bottomN * dt;
            float hb = _bottomH * dt * dt;
            float a = 2f * (v1 * T - h1) / (T * T);
            if (!(a < s.MaxRepBiasMps2 && a > -s.MaxRepBiasMps2)) return float.NaN;
            float v0 = v1 - a * T;
            float drop = d0 - (hb - v0 * tb - 0.5f * a * tb * tb);
            if (!(drop <= s.MaxSacrumDropM && drop >= -s.MaxSacrumRiseM)) return float.NaN;
            return 100f * drop;
        }

        // The fixed target, or the wearer's own end range once enough clean hinges have shown it.
        private float DepthTarget()
        {
            CoachingSettings c = _coaching;
            int n = c.OwnDepthReps;
            if (n > MaxOwnDepthReps) n = MaxOwnDepthReps;
            if (!c.OwnDepth || n < 1 || _cleanReps < n) return c.DepthTargetDeg;
            float sum = 0f;
            for (int i = 0; i < n; i++) sum += _cleanDepths[(_cleanReps - 1 - i) % MaxOwnDepthReps];
            return sum / n;
        }

        private void LearnDepth(float depthDeg)
        {
            _cleanDepths[_cleanReps % MaxOwnDepthReps] = depthDeg;
            _cleanReps++;
        }

        /// <summary>The own end range is learned afresh (a new calibration: depths from another neutral).</summary>
        public void ForgetOwnDepth()
        {
            _cleanReps = 0;
        }

        /// <summary>The depth target the next rep will be held to, degrees (the wearer's own end range once learned).</summary>
        public float NextDepthTargetDeg { get { return DepthTarget(); } }

        // The first sample at the target depth: a short positive tick (never in posture mode).
        private void DepthReached(float t, float torso)
        {
            _depthReached = true;
            if (_coaching.DepthCue && !_alignment.AlwaysOn && !_seated && !_crouched)
                _cues.Enqueue(CoachingCue.DepthReached, t, _counted + 1, torso);
        }

        // At the bottom the pattern is known well enough to say "hips back" while it still helps.
        // A bend shallower than a rep earns no cue, as at the end of a rep: it may not count (seen:
        // three "hips back" during a seated reach whose chair the context had not recognised).
        private void CueSquat(float t)
        {
            if (_coaching.Exercise != Exercise.Hinge || _seated || _crouched || _maxTorso < _settings.MinDepthDeg) return;
            float share = RepPatternRule.Share(_pelvisAtMax, _maxTorso);
            float lead = _leadKnown ? _leadShare : share;
            if (RepPatternRule.Classify(lead, _maxDropCm - _dropAtStartCm, _pelvisAtMax, _activity) != RepPattern.Squat) return;
            _squatCued = true;
            _cues.Enqueue(CoachingCue.Squatting, t, _counted + 1, share);
        }
    }
}
