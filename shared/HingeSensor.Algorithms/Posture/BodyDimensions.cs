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

        /// <summary>Along the spine from the sacrum sensor to the upper-back sensor, cm.</summary>
        public float SacrumToUpperBackCm;

        /// <summary>From the upper-back sensor to the back-of-head sensor, cm.</summary>
        public float UpperBackToHeadCm;
    }
}
