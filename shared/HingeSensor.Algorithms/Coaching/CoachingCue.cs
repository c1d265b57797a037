namespace HingeSensor.Algorithms.Coaching
{
    /// <summary>
    /// What the device tells the wearer about the movement beyond the dowel line (which is
    /// <see cref="Alignment.Fault"/>). Each has its own haptic rhythm. Numeric values go on the wire
    /// and into recordings: never renumber.
    /// </summary>
    public enum CoachingCue
    {
        None = 0,
        /// <summary>Positive: the torso reached the target depth.</summary>
        DepthReached = 1,
        /// <summary>The wearer squats (knees forward, sacrum dropping) while training a hinge.</summary>
        Squatting = 2,
        /// <summary>The descent was much faster than the tempo target.</summary>
        FastDescent = 3,
        /// <summary>The rep ended short of standing tall.</summary>
        IncompleteLockout = 4,
        /// <summary>Leaning back / lumbar over-extension at the top.</summary>
        LeaningBack = 5,
    }

    public static class CoachingCues
    {
        public const int Count = 6;

        public static string Name(CoachingCue c)
        {
            switch (c)
            {
                case CoachingCue.DepthReached: return "depth_reached";
                case CoachingCue.Squatting: return "squatting";
                case CoachingCue.FastDescent: return "fast_descent";
                case CoachingCue.IncompleteLockout: return "incomplete_lockout";
                case CoachingCue.LeaningBack: return "leaning_back";
                default: return "none";
            }
        }

        public static CoachingCue Parse(string name)
        {
            for (int i = 1; i < Count; i++)
                if (Name((CoachingCue)i) == name) return (CoachingCue)i;
            return CoachingCue.None;
        }
    }
}
