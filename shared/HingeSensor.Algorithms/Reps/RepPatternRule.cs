using HingeSensor.Algorithms.Activity;

namespace HingeSensor.Algorithms.Reps
{
    /// <summary>
    /// How a bend got the torso down, from where the sacrum went and how much of the torso's
    /// inclination the pelvis carried: the same rule per rep (<see cref="RepDetector"/>) and for
    /// the activity context (<see cref="ActivityClassifier"/>), with its thresholds.
    /// </summary>
    public static class RepPatternRule
    {
        /// <summary>
        /// Squat when the sacrum dropped at least <see cref="ActivitySettings.SquatDropM"/> with the
        /// pelvis (at the torso's deepest) tilted no further than <see cref="ActivitySettings.SquatPelvisMaxDeg"/>; stoop when the
        /// pelvis carried less than <see cref="ActivitySettings.StoopLeadShare"/> of the torso's
        /// inclination as the descent got under way (<paramref name="leadShare"/>: see
        /// <see cref="ActivitySettings.LeadDeg"/>); else hinge.
        /// </summary>
        public static RepPattern Classify(float leadShare, float sacrumDropCm, float pelvisDeg, ActivitySettings s)
        {
            if (sacrumDropCm >= 100f * s.SquatDropM && pelvisDeg <= s.SquatPelvisMaxDeg) return RepPattern.Squat;
            if (leadShare < s.StoopLeadShare) return RepPattern.Stoop;
            return RepPattern.Hinge;
        }

        /// <summary>The pelvis's share of the torso's inclination, held to 0–1.</summary>
        public static float Share(float pelvisDeg, float torsoDeg)
        {
            float share = torsoDeg > 1f ? pelvisDeg / torsoDeg : 0f;
            // A pelvis rolled back as the trunk flexed (a seated slump) carried none of it, one
            // that tilted further than the torso (the spine extending) carried all.
            if (share < 0f) return 0f;
            if (share > 1f) return 1f;
            return share;
        }
    }
}
