namespace HingeSensor.Algorithms.Posture
{
    /// <summary>
    /// Distances along the back between the sensor sites, used for the dowel-line gap. Defaults
    /// scale with body height from standard anthropometric proportions (Drillis &amp; Contini):
    /// sacrum S2 at ≈ 0.57 H, upper back T5 at ≈ 0.76 H, back of the head at ≈ 0.92 H.
    /// </summary>
    public sealed class BodyDimensions
    {
        public const float DefaultHeightCm = 175f;
        public const float SacrumToUpperBackRatio = 0.19f;
        public const float UpperBackToHeadRatio = 0.16f;

        /// <summary>
        /// From the hip joint (greater trochanter, ≈ 0.53 H) to each sensor, per height: the
        /// radius the head and upper-back sensors swing on in a hinge. The sacrum's sensor sits
        /// beside the joint (≈ 0.04 H above, ≈ 10 cm behind), not above it: its swing is small and
        /// not along its vertical, so it counts as none (default suite: trunk flexion p95 1.63° →
        /// 1.56°, sacrum drop error p95 10.8 → 9.3 cm against 0.07 H along the vertical).
        /// Index: <see cref="HingeSensor.Algorithms.Sensing.Segment"/>.
        /// </summary>
        private static readonly float[] HipToSensorRatio = { 0.39f, 0.23f, 0f };

        public BodyDimensions() : this(DefaultHeightCm) { }

        public BodyDimensions(float heightCm) { SetHeight(heightCm); }

        /// <summary>A body of this height, cm, in the standard proportions.</summary>
        public void SetHeight(float heightCm)
        {
            HeightCm = heightCm;
            SacrumToUpperBackCm = SacrumToUpperBackRatio * heightCm;
            UpperBackToHeadCm = UpperBackToHeadRatio * heightCm;
        }

        public float HeightCm;

        /// <summary>From the hip joint to this segment's sensor, m: the radius it swings on in a hinge (0 for the sacrum).</summary>
        public float HipToSensorM(int segment) { return HipToSensorRatio[segment] * HeightCm * 0.01f; }

        /// <summary>Along the spine from the sacrum sensor to the upper-back sensor, cm.</summary>
        public float SacrumToUpperBackCm;

        /// <summary>From the upper-back sensor to the back-of-head sensor, cm.</summary>
        public float UpperBackToHeadCm;
    }
}
