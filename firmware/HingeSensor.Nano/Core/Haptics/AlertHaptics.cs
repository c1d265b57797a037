using HingeSensor.Algorithms.Alignment;
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

        /// <summary>Each fault has a rhythm of its own, so that the wearer knows which without looking.</summary>
        public static HapticPattern PatternFor(Fault f)
        {
            if (f == Fault.BackRounding) return HapticPattern.BackRounding;
            if (f == Fault.ChinDrop) return HapticPattern.ChinDrop;
            return HapticPattern.HeadUp;
        }
    }
}
