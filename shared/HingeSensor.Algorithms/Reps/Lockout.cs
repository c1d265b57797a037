namespace HingeSensor.Algorithms.Reps
{
    /// <summary>
    /// How a rep finished. Coached: standing tall, hips forward, glutes squeezed — not short of
    /// standing and not leaning back. Numeric values go on the wire and into recordings: never renumber.
    /// </summary>
    public enum Lockout
    {
        Unknown = 0,
        /// <summary>Back within a few degrees of neutral.</summary>
        Ok = 1,
        /// <summary>The rep ended short of standing tall.</summary>
        Incomplete = 2,
        /// <summary>Leaning back / the lumbar spine over-extended at the top.</summary>
        OverExtension = 3,
    }

    public static class Lockouts
    {
        public const int Count = 4;

        public static string Name(Lockout l)
        {
            switch (l)
            {
                case Lockout.Ok: return "ok";
                case Lockout.Incomplete: return "incomplete";
                case Lockout.OverExtension: return "over_extension";
                default: return "unknown";
            }
        }

        public static Lockout Parse(string name)
        {
            for (int i = 1; i < Count; i++)
                if (Name((Lockout)i) == name) return (Lockout)i;
            return Lockout.Unknown;
        }
    }
}
