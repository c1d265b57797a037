using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>
    /// Decides, sample by sample, whether the dowel line is broken, and says so through
    /// <see cref="AlignmentEvent"/>s: a fault starts after it has held for the persistence window,
    /// is repeated at the reminder interval, and ends as Corrected once the metric is back inside
    /// the threshold by the hysteresis (or as Ended when the hinge is over or a sensor is lost).
    /// Speaks only while the torso is inclined and the wearer is neither seated nor crouched (the
    /// hinge gate) unless in posture mode.
    /// </summary>
    public sealed class AlignmentMonitor
    {
        private const int Idle = 0;
        private const int Pending = 1;
        private const int Active = 2;

        private readonly AlignmentSettings _settings;
        private readonly int[] _state = new int[Faults.Count];
        private readonly float[] _onset = new float[Faults.Count];
        private readonly float[] _alertAt = new float[Faults.Count];
        private readonly float[] _peak = new float[Faults.Count];
        private readonly float[] _lastReminder = new float[Faults.Count];
        private readonly float[] _clearSince = new float[Faults.Count];
        private readonly float[] _cooldownUntil = new float[Faults.Count];
        private bool _gateOpen;
        // Seated or crouched (SetContext): the gate stays shut.
        private bool _quiet;
        private int _activeMask;
        private bool _hasRange;
        private float _rangeTrunkDeg;

        public AlignmentMonitor(AlignmentSettings settings)
        {
            _settings = settings;
            Reset();
        }

        public AlignmentSettings Settings { get { return _settings; } }

        /// <summary>Whether the hinge gate is open (or posture mode is on).</summary>
        public bool GateOpen { get { return _gateOpen; } }

        /// <summary>Bit per fault (see <see cref="Faults.Bit"/>) that is active, i.e. has been announced and not ended.</summary>
        public int ActiveMask { get { return _activeMask; } }

        /// <summary>The active fault to show first (back rounding before the head), or None.</summary>
        public Fault CurrentFault
        {
            get
            {
                if (Faults.Has(_activeMask, Fault.BackRounding)) return Fault.BackRounding;
                if (Faults.Has(_activeMask, Fault.ChinDrop)) return Fault.ChinDrop;
                if (Faults.Has(_activeMask, Fault.HeadUp)) return Fault.HeadUp;
                return Fault.None;
            }
        }

        /// <summary>
        /// The activity context (<see cref="Activity.ActivityClassifier.Seated"/>,
        /// <see cref="Activity.ActivityClassifier.Crouched"/>): while seated or crouched the gate
        /// stays shut however far the torso leans — a reach from a chair or tying a shoe is no
        /// hinge. It only ever closes the gate, so a real hinge opens it as fast as the torso test
        /// alone does.
        /// </summary>
        public void SetContext(bool seated, bool crouched) { _quiet = seated || crouched; }

        /// <summary>Tells the monitor about a range calibration (for percentage thresholds).</summary>
        public void SetRange(bool hasRange, float rangeTrunkFlexionDeg)
        {
            _hasRange = hasRange;
            _rangeTrunkDeg = rangeTrunkFlexionDeg;
        }

        public float ThresholdDeg(Fault fault) { return _settings.ThresholdDeg(fault, _hasRange, _rangeTrunkDeg); }

        public void Reset()
        {
            for (int f = 0; f < Faults.Count; f++)
            {
                _state[f] = Idle;
                _onset[f] = 0f;
                _alertAt[f] = 0f;
                _peak[f] = 0f;
                _lastReminder[f] = 0f;
                _clearSince[f] = -1f;
                _cooldownUntil[f] = float.MinValue;
            }
            _gateOpen = false;
            _activeMask = 0;
        }

        /// <summary>Takes one sample's metrics; returns <see cref="ActiveMask"/> after it.</summary>
        /// <remarks>Written for the device's interpreter, where every call costs about as much as
        /// a dozen arithmetic instructions: the validity masks are tested here rather than through
        /// the metrics' properties, and the thresholds are worked out once for the three faults.</remarks>
        public int Update(PostureMetrics m, AlignmentEventQueue events)
        {
            AlignmentSettings s = _settings;
            int valid = m.ValidSegments;
            if (s.AlwaysOn) _gateOpen = true;
            else if ((valid & (1 << (int)Segment.UpperBack)) == 0 || _quiet) _gateOpen = false;
            else if (!_gateOpen && m.TorsoAngleDeg >= s.GateOpenTorsoDeg) _gateOpen = true;
            else if (_gateOpen && m.TorsoAngleDeg <= s.GateCloseTorsoDeg) _gateOpen = false;

            // Nothing pending or active and the gate shut: nothing can happen this sample (the
            // usual case between reps, checked here so that it costs no call).
            int[] state = _state;
            if (!_gateOpen && state[(int)Fault.BackRounding] == Idle && state[(int)Fault.ChinDrop] == Idle && state[(int)Fault.HeadUp] == Idle)
                return _activeMask;
            float back = s.ThresholdDeg(Fault.BackRounding, _hasRange, _rangeTrunkDeg);
            bool trunkValid = (valid & 6) == 6, headValid = (valid & 3) == 3;
            float t = m.TimeS, head = m.HeadFlexionDeg;
            Step(Fault.BackRounding, trunkValid, m.TrunkFlexionDeg, back, t, events);
            Step(Fault.ChinDrop, headValid, head, s.ChinDropDeg, t, events);
            Step(Fault.HeadUp, headValid, -head, s.HeadUpDeg, t, events);
            return _activeMask;
        }

        // 'value' is signed so that larger is worse for this fault.
        private void Step(Fault fault, bool valid, float value, float threshold, float t, AlignmentEventQueue events)
        {
            int f = (int)fault;
            if (!valid || !_gateOpen)
            {
                if (_state[f] == Active) Finish(fault, AlignmentEventKind.Ended, t, events);
                _state[f] = Idle;
                return;
            }

            switch (_state[f])
            {
                case Idle:
                    if (value > threshold)
                    {
                        _state[f] = Pending;
                        _onset[f] = t;
                        _peak[f] = value;
                    }
                    break;

                case Pending:
                    if (value <= threshold)
                    {
                        _state[f] = Idle;
                        break;
                    }
                    if (value > _peak[f]) _peak[f] = value;
                    if (Elapsed(t, _onset[f], _settings.PersistenceS) && Elapsed(t, _cooldownUntil[f], 0f))
                    {
                        _state[f] = Active;
                        _alertAt[f] = t;
                        _lastReminder[f] = t;
                        _clearSince[f] = -1f;
                        _activeMask |= Faults.Bit(fault);
                        Emit(AlignmentEventKind.Started, fault, t, events);
                    }
                    break;

                default: // Active
                    if (value > _peak[f]) _peak[f] = value;
                    if (value < threshold - _settings.HysteresisDeg)
                    {
                        if (_clearSince[f] < 0f) _clearSince[f] = t;
                        if (Elapsed(t, _clearSince[f], _settings.ClearHoldS)) Finish(fault, AlignmentEventKind.Corrected, t, events);
                    }
                    else
                    {
                        _clearSince[f] = -1f;
                        if (_settings.ReminderIntervalS > 0f && Elapsed(t, _lastReminder[f], _settings.ReminderIntervalS))
                        {
                            _lastReminder[f] = t;
                            Emit(AlignmentEventKind.Reminder, fault, t, events);
                        }
                    }
                    break;
            }
        }

        // Sample times arrive as float seconds: a window of exactly n samples must not miss by a rounding error.
        private static bool Elapsed(float now, float since, float duration)
        {
            return now - since >= duration - 1e-4f;
        }

        private void Finish(Fault fault, AlignmentEventKind kind, float t, AlignmentEventQueue events)
        {
            int f = (int)fault;
            Emit(kind, fault, t, events);
            _state[f] = Idle;
            _activeMask &= ~Faults.Bit(fault);
            _cooldownUntil[f] = t + _settings.CooldownS;
        }

        private void Emit(AlignmentEventKind kind, Fault fault, float t, AlignmentEventQueue events)
        {
            int f = (int)fault;
            events.Enqueue(kind, fault, t, _onset[f], _alertAt[f], _peak[f]);
        }
    }
}
