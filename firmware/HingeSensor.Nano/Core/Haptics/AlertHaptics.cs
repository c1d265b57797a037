using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Haptics
{
    /// <summary>
    /// What the wearer feels of what the device found: a fault's own rhythm when it starts and at
    /// every reminder, a short "corrected" when it clears, the calibration's result, a sensor
    /// lost, the flash full. The config says how loud (quiet mode, intensity); the engine decides
    /// what preempts what.
    /// </summary>
    public sealed class AlertHaptics
    {
        private readonly HapticEngine _engine;

        public AlertHaptics(HapticEngine engine) { _engine = engine; }

        public void OnAlignment(AlignmentEvent e, long nowUs)
        {
            switch (e.Kind)
            {
                case AlignmentEventKind.Started:
                case AlignmentEventKind.Reminder:
                    _engine.Play(PatternFor(e.Fault), nowUs);
                    break;
                case AlignmentEventKind.Corrected:
                    _engine.Play(HapticPattern.Corrected, nowUs);
                    break;
            }
        }

        /// <summary>A coaching cue (depth, pattern, lockout, tempo): its own rhythm.</summary>
        public void OnCue(CoachingCueEvent e, long nowUs) { _engine.Play(PatternFor(e.Cue), nowUs); }

        public void OnCalibration(bool ok, long nowUs)
        {
            _engine.Play(ok ? HapticPattern.CalibrationDone : HapticPattern.CalibrationFailed, nowUs);
        }

        /// <summary>A sensor stopped being usable (its return is silent: the alerts resuming say it).</summary>
        public void OnSensorLost(long nowUs) { _engine.Play(HapticPattern.SensorFault, nowUs); }

        /// <summary>A recording could not start or go on: nothing downloaded is left to make room.</summary>
        public void OnStorageFull(long nowUs) { _engine.Play(HapticPattern.StorageFull, nowUs); }

        /// <summary>Puts the config's quiet mode and intensity in force.</summary>
        public void Configure(DeviceConfig config)
        {
            _engine.Quiet = config.Quiet;
            _engine.Intensity = config.HapticIntensityPercent * 0.01f;
        }

        /// <summary>Each cue has a rhythm of its own, distinct from the faults' (README, "What the wearer feels").</summary>
        public static HapticPattern PatternFor(CoachingCue c)
        {
            switch (c)
            {
                case CoachingCue.DepthReached: return HapticPattern.DepthReached;
                case CoachingCue.Squatting: return HapticPattern.Squatting;
                case CoachingCue.FastDescent: return HapticPattern.FastDescent;
                case CoachingCue.IncompleteLockout: return HapticPattern.IncompleteLockout;
                case CoachingCue.LeaningBack: return HapticPattern.LeaningBack;
                default: return HapticPattern.None;
            }
        }

        /// <summary>Each fault has a rhythm of its own, so that the wearer knows which without looking.</summary>
        public static HapticPattern PatternFor(Fault f)
        {
            if (f == Fault.BackRounding) return HapticPattern.BackRounding;
            if (f == Fault.ChinDrop) return HapticPattern.ChinDrop;
            return HapticPattern.HeadUp;
        }
    }
}
