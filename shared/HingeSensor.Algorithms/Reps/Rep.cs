namespace HingeSensor.Algorithms.Reps
{
    /// <summary>One hinge from standing back to standing.</summary>
    public struct Rep
    {
        /// <summary>1-based among counted reps; 0 for a partial rep (not counted).</summary>
        public int Number;

        /// <summary>Deep enough to count (depth ≥ the minimum).</summary>
        public bool Counted;

        public float StartS;
        public float EndS;

        /// <summary>Deepest torso angle (upper-back inclination), degrees.</summary>
        public float DepthDeg;

        /// <summary>From the start until the torso first came within the bottom band of its deepest angle, s.</summary>
        public float DescentS;

        /// <summary>Time spent within the bottom band (pauses at the bottom), s.</summary>
        public float BottomS;

        /// <summary>From leaving the bottom band for the last time until standing, s.</summary>
        public float AscentS;

        public float MaxTrunkFlexionDeg;
        public float MaxHeadFlexionDeg;
        public float MinHeadFlexionDeg;

        /// <summary>Deepest sacrum (hinge) angle, degrees.</summary>
        public float MaxHingeAngleDeg;

        /// <summary>Faults active at any time during the rep, bit per Fault.</summary>
        public int FaultMask;
    }
}
