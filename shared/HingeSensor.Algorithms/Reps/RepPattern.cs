namespace HingeSensor.Algorithms.Reps
{
    /// <summary>
    /// How a rep got the torso down: from the hips (hinge: the pelvis tilts, the sacrum goes back
    /// more than down), from the knees (squat: the sacrum drops, the torso stays more upright), or
    /// from the spine (stoop: the torso goes down with little pelvis motion — the rounded pick-up).
    /// Numeric values go on the wire and into recordings: never renumber.
    /// </summary>
    public enum RepPattern
    {
        Unknown = 0,
        Hinge = 1,
        Squat = 2,
        Stoop = 3,
    }

    public static class RepPatterns
    {
        public const int Count = 4;

        public static string Name(RepPattern p)
        {
            switch (p)
            {
                case RepPattern.Hinge: return "hinge";
                case RepPattern.Squat: return "squat";
                case RepPattern.Stoop: return "stoop";
                default: return "unknown";
            }
        }

        public static RepPattern Parse(string name)
        {
            for (int i = 1; i < Count; i++)
                if (Name((RepPattern)i) == name) return (RepPattern)i;
            return RepPattern.Unknown;
        }
    }
}
