using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Coaching;
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
        public CoachingSettings Coaching = new CoachingSettings();
        public ActivitySettings Activity = new ActivitySettings();
        public BodyDimensions Body = new BodyDimensions();

        /// <summary>
        /// How often, s, the filters are corrected towards gravity (every sample is integrated).
        /// 0 = every sample. Default 0.02 s (50 Hz, every second sample at the device's 100 Hz):
        /// the gravity estimate is low-passed over seconds and loses nothing (BROAD: 0.770° mean
        /// inclination error, 0.769° correcting every sample; 0.771° at 25 Hz).
        /// </summary>
        public float CorrectionIntervalS = 0.04f;

        /// <summary>
        /// How often, s, the metrics are completed for reporting: the lateral tilts and the dowel
        /// gap, which the live stream and the recording carry and the decision does not need (the
        /// sagittal metrics, the alignment decision and the reps run at every sample). 0 = every
        /// sample. Default 0.04 s (25 Hz): the device's record and live rates (firmware README,
        /// device costs).
        /// </summary>
        public float ReportIntervalS = 0.04f;

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
