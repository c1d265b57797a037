namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>Acceptance limits of the calibration steps, with why each is what it is.</summary>
    public sealed class CalibrationSettings
    {
        /// <summary>The neutral stance must last at least this long, s. Default 2 s.</summary>
        public float MinNeutralDurationS = 2f;

        /// <summary>
        /// RMS angular spread of a sensor's gravity direction during neutral, degrees. Quiet standing
        /// sways about 0.5°; stepping or turning the head moves it by several. Default 2.5°.
        /// </summary>
        public float MaxNeutralSpreadDeg = 2.5f;

        /// <summary>RMS angular rate during neutral, °/s (bias-corrected). Default 6 °/s.</summary>
        public float MaxNeutralRateDps = 6f;

        /// <summary>
        /// Each sensor must tilt at least this far from neutral during the hinge, degrees. A hinge to
        /// a horizontal torso tilts the upper back ~80° and the pelvis ~50°. A side bend has a
        /// horizontal single axis too, and one sensor alone cannot tell it from a hinge; but it tilts
        /// the pelvis only 5–15°, so requiring the sacrum to tilt this far is what rejects it.
        /// Default 25°.
        /// </summary>
        public float MinHingeAmplitudeDeg = 25f;

        /// <summary>
        /// Share of the rotation energy about the main axis (largest eigenvalue / trace of the rate
        /// scatter): 1 is a pure single-axis rotation. Default 0.8.
        /// </summary>
        public float MinHingePlanarity = 0.8f;

        /// <summary>Largest angle between the hinge axis and the horizontal plane, degrees. Default 30°.</summary>
        public float MaxHingeAxisTiltDeg = 30f;

        /// <summary>
        /// The toe touch must flex the trunk (upper back vs sacrum) at least this much, degrees, to
        /// serve as 100 % of the wearer's range; older adults still reach ~40°. Default 15°.
        /// </summary>
        public float MinRangeTrunkFlexionDeg = 15f;

        /// <summary>
        /// Shrinkage of the accelerometer offset found in the hinge (<see cref="AccelBiasCapture"/>),
        /// as a share of its windows; negative leaves the offsets alone. Default 0.1: trunk/head
        /// flexion error p95 (default suite) 0.03 → 1.66/1.65°, 0.05 → 1.62/1.59°, 0.1 → 1.63/1.62°,
        /// 0.2 → 1.93/2.02°, none → 2.96/3.32°; lower let the borderline suite's decisions slip
        /// (0.03: 58 of 64 right, 0.1: 60).
        /// </summary>
        public float AccelBiasRidge = 0.1f;
    }
}
