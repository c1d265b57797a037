namespace HingeSensor.Algorithms.Activity
{
    /// <summary>
    /// What the wearer is doing, as the three sensors see it. The hinge gate listens only while the
    /// wearer hinges (or squats: the dowel line still matters there), so that sitting, standing up
    /// from a chair, reaching into a cupboard or tying a shoe stay quiet. Numeric values go on the
    /// wire and into recordings: never renumber.
    /// </summary>
    public enum ActivityKind
    {
        /// <summary>Not decided yet (no calibration, a sensor missing, just booted).</summary>
        Unknown = 0,
        Standing = 1,
        Walking = 2,
        Sitting = 3,
        SitToStand = 4,
        Hinge = 5,
        Squat = 6,
        /// <summary>Bending that is neither a hinge nor a squat: a stoop, a reach, tying a shoe.</summary>
        BendingOther = 7,
    }

    public static class Activities
    {
        /// <summary>Number of kinds including Unknown; arrays indexed by ActivityKind have this length.</summary>
        public const int Count = 8;

        /// <summary>Stable lower-case names for files and the wire (Enum.ToString is unreliable on the device).</summary>
        public static string Name(ActivityKind kind)
        {
            switch (kind)
            {
                case ActivityKind.Standing: return "standing";
                case ActivityKind.Walking: return "walking";
                case ActivityKind.Sitting: return "sitting";
                case ActivityKind.SitToStand: return "sit_to_stand";
                case ActivityKind.Hinge: return "hinge";
                case ActivityKind.Squat: return "squat";
                case ActivityKind.BendingOther: return "bending_other";
                default: return "unknown";
            }
        }

        /// <summary>The kind named by <see cref="Name"/>, or Unknown.</summary>
        public static ActivityKind Parse(string name)
        {
            for (int i = 1; i < Count; i++)
                if (Name((ActivityKind)i) == name) return (ActivityKind)i;
            return ActivityKind.Unknown;
        }
    }
}
