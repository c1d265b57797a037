using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Algorithms.Pipeline
{
    /// <summary>All the settings of the per-sample pipeline in one place.</summary>
    public sealed class TrackerSettings
    {
        public FusionSettings Fusion = new FusionSettings();
        public CalibrationSettings Calibration = new CalibrationSettings();
        public AlignmentSettings Alignment = new AlignmentSettings();
        public RepSettings Reps = new RepSettings();
        public BodyDimensions Body = new BodyDimensions();

        /// <summary>
        /// How often, s, the filters are corrected towards gravity and the metrics, the alignment
        /// decision and the rep detector run; every sample is still integrated. 0 = every sample.
        /// Default 0.02 s (50 Hz, every second sample at the device's 100 Hz): the gravity estimate
        /// is low-passed over seconds and a decision 20 ms later is well inside the persistence
        /// window, while the nanoFramework interpreter on the device cannot afford the whole
        /// pipeline 100 times a second (see firmware README, device costs).
        /// </summary>
        public float DecisionIntervalS = 0.02f;

        /// <summary>A sensor silent for longer than this, s, restarts its filter from the accelerometer. Default 1 s.</summary>
        public float SensorGapResetS = 1f;

        /// <summary>Device-side neutral capture length, s. Default 3 s (≥ the 2 s minimum, with margin).</summary>
        public float NeutralCaptureS = 3f;

        /// <summary>Device-side hinge/range captures give up after this long, s. Default 15 s.</summary>
        public float MovementCaptureTimeoutS = 15f;

        /// <summary>
        /// A hinge/range capture ends by itself once the upper back has tilted past this angle from
        /// neutral, degrees, and come back within <see cref="CaptureReturnDeg"/>. Default 30°.
        /// </summary>
        public float CaptureDownDeg = 30f;

        /// <summary>See <see cref="CaptureDownDeg"/>. Default 10°.</summary>
        public float CaptureReturnDeg = 10f;
    }
}
