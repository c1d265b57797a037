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
        /// torso no deeper than <see cref="ActivitySettings.SquatTorsoMaxDeg"/>; stoop
        /// when the pelvis carried less than <see cref="ActivitySettings.StoopShare"/> of the torso's
        /// inclination; else hinge.
        /// </summary>
        public static RepPattern Classify(float pelvisShare, float sacrumDropCm, float torsoDeg, ActivitySettings s)
        {
            if (sacrumDropCm >= 100f * s.SquatDropM && torsoDeg <= s.SquatTorsoMaxDeg) return RepPattern.Squat;
            if (pelvisShare < s.StoopShare) return RepPattern.Stoop;
            return RepPattern.Hinge;
        }
    }
}
