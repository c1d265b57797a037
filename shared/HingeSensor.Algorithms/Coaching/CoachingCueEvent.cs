namespace HingeSensor.Algorithms.Coaching
{
    /// <summary>One coaching cue. A class copied field by field (on nanoCLR every struct copy allocates).</summary>
    public sealed class CoachingCueEvent
    {
        public CoachingCue Cue;
        /// <summary>When the cue was raised, seconds.</summary>
        public float TimeS;
        /// <summary>The rep it belongs to (<see cref="Reps.Rep.Number"/>), 0 if none.</summary>
        public int Rep;
        /// <summary>
        /// The measurement behind it: the depth reached (degrees) for DepthReached, the descent time
        /// (s) for FastDescent, the torso angle at the top (degrees; negative = leaning back) for the
        /// lockout cues, the pelvis share (0–1) for Squatting.
        /// </summary>
        public float Value;

        public void CopyFrom(CoachingCueEvent o)
        {
            Cue = o.Cue;
            TimeS = o.TimeS;
            Rep = o.Rep;
            Value = o.Value;
        }
    }
}
