namespace HingeSensor.Algorithms.Posture
{
    /// <summary>
    /// The posture at one instant, all angles in degrees relative to the calibrated neutral and
    /// all heading-free. A metric is meaningful only when the sensors it rests on are valid.
    /// </summary>
    /// <remarks>A class filled in place by the tracker, not a struct: on the nanoFramework
    /// interpreter every struct copy is a heap allocation. Whoever keeps a sample (the host's
    /// analysis, tests) takes a <see cref="Clone"/>.</remarks>
    public sealed class PostureMetrics
    {
        /// <summary>Seconds since the start of the stream.</summary>
        public float TimeS;

        public float HeadSagittalDeg;
        public float HeadLateralDeg;
        public float UpperBackSagittalDeg;
        public float UpperBackLateralDeg;
        public float SacrumSagittalDeg;
        public float SacrumLateralDeg;

        /// <summary>Upper back minus sacrum, sagittal: lumbar plus lower-thoracic rounding (+) or arching (−).</summary>
        public float TrunkFlexionDeg;

        /// <summary>Head minus upper back, sagittal: chin towards the chest (+), head cranked up (−).</summary>
        public float HeadFlexionDeg;

        /// <summary>The hinge itself: the sacrum's (pelvis's) forward tilt.</summary>
        public float HingeAngleDeg;

        /// <summary>Upper-back inclination: 0 standing tall, ~90 with the torso horizontal.</summary>
        public float TorsoAngleDeg;

        /// <summary>Largest distance of the back from a straight dowel, cm (see <see cref="DowelLine"/>).</summary>
        public float DowelGapCm;

        /// <summary>Trunk flexion as a share of the range calibration, %; NaN without one.</summary>
        public float TrunkFlexionPercent;

        /// <summary>Bit i set when segment i (see Segment) has a valid, calibrated reading.</summary>
        public int ValidSegments;

        public bool IsValid(int segment) { return (ValidSegments & (1 << segment)) != 0; }

        /// <summary>Trunk flexion, hinge and torso angles rest on the upper back and the sacrum.</summary>
        public bool TrunkValid { get { return (ValidSegments & 6) == 6; } }

        /// <summary>Head flexion rests on the head and the upper back.</summary>
        public bool HeadValid { get { return (ValidSegments & 3) == 3; } }

        public bool AllValid { get { return (ValidSegments & 7) == 7; } }

        public void CopyFrom(PostureMetrics o)
        {
            TimeS = o.TimeS;
            HeadSagittalDeg = o.HeadSagittalDeg;
            HeadLateralDeg = o.HeadLateralDeg;
            UpperBackSagittalDeg = o.UpperBackSagittalDeg;
            UpperBackLateralDeg = o.UpperBackLateralDeg;
            SacrumSagittalDeg = o.SacrumSagittalDeg;
            SacrumLateralDeg = o.SacrumLateralDeg;
            TrunkFlexionDeg = o.TrunkFlexionDeg;
            HeadFlexionDeg = o.HeadFlexionDeg;
            HingeAngleDeg = o.HingeAngleDeg;
            TorsoAngleDeg = o.TorsoAngleDeg;
            DowelGapCm = o.DowelGapCm;
            TrunkFlexionPercent = o.TrunkFlexionPercent;
            ValidSegments = o.ValidSegments;
        }

        /// <summary>A copy to keep (host and tests: allocates).</summary>
        public PostureMetrics Clone()
        {
            var m = new PostureMetrics();
            m.CopyFrom(this);
            return m;
        }
    }
}
