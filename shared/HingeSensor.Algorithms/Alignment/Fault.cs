namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>Ways the dowel line breaks. Numeric values go on the wire and into recordings: never renumber.</summary>
    public enum Fault
    {
        None = 0,

        /// <summary>The back rounds: the upper back flexes forward relative to the sacrum (lumbar and/or thoracic flexion, shoulders collapsing).</summary>
        BackRounding = 1,

        /// <summary>The chin drops towards the chest: the head flexes relative to the upper back.</summary>
        ChinDrop = 2,

        /// <summary>The head is cranked up: the head extends relative to the upper back.</summary>
        HeadUp = 3,
    }

    public static class Faults
    {
        /// <summary>Number of fault kinds including None; arrays indexed by Fault have this length.</summary>
        public const int Count = 4;

        public static int Bit(Fault f) { return 1 << (int)f; }

        public static bool Has(int mask, Fault f) { return (mask & (1 << (int)f)) != 0; }

        /// <summary>Stable lower-case names for files and the wire (Enum.ToString is unreliable on the device).</summary>
        public static string Name(Fault f)
        {
            switch (f)
            {
                case Fault.BackRounding: return "back_rounding";
                case Fault.ChinDrop: return "chin_drop";
                case Fault.HeadUp: return "head_up";
                default: return "none";
            }
        }

        /// <summary>The fault named by <see cref="Name"/>, or None.</summary>
        public static Fault Parse(string name)
        {
            if (name == "back_rounding") return Fault.BackRounding;
            if (name == "chin_drop") return Fault.ChinDrop;
            if (name == "head_up") return Fault.HeadUp;
            return Fault.None;
        }
    }
}
