namespace HingeSensor.Algorithms.Reps
{
    /// <summary>One hinge from standing back to standing.</summary>
    /// <remarks>A class copied field by field into objects the reader owns (<see cref="RepDetector.TakeCompleted"/>):
    /// on the nanoFramework interpreter every struct copy is a heap allocation.</remarks>
    public sealed class Rep
    {
        /// <summary>1-based among counted reps; 0 for a partial rep (not counted).</summary>
        public int Number;

        /// <summary>Deep enough to count (depth ≥ the minimum), and no crouch (tying a shoe).</summary>
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

        /// <summary>How the torso got down: hinge, squat or stoop (Unknown until the rep ends).</summary>
        public RepPattern Pattern;

        /// <summary>Fraction (0–1) of the torso's inclination carried by the pelvis at the bottom.</summary>
        public float PelvisShare;

        /// <summary>
        /// Fraction (0–1) of the torso's inclination carried by the pelvis as the descent got under
        /// way (<see cref="Activity.ActivitySettings.LeadDeg"/>): whether the movement started at the hips.
        /// </summary>
        public float LeadShare;

        /// <summary>How far the sacrum dropped from standing to the bottom, cm.</summary>
        public float SacrumDropCm;

        /// <summary>The torso reached the target depth (<see cref="Coaching.CoachingSettings"/>).</summary>
        public bool DepthReached;

        /// <summary>How the rep finished: standing tall, short of it, or leaning back.</summary>
        public Lockout Lockout;

        public void CopyFrom(Rep o)
        {
            Number = o.Number;
            Counted = o.Counted;
            StartS = o.StartS;
            EndS = o.EndS;
            DepthDeg = o.DepthDeg;
            DescentS = o.DescentS;
            BottomS = o.BottomS;
            AscentS = o.AscentS;
            MaxTrunkFlexionDeg = o.MaxTrunkFlexionDeg;
            MaxHeadFlexionDeg = o.MaxHeadFlexionDeg;
            MinHeadFlexionDeg = o.MinHeadFlexionDeg;
            MaxHingeAngleDeg = o.MaxHingeAngleDeg;
            FaultMask = o.FaultMask;
            Pattern = o.Pattern;
            PelvisShare = o.PelvisShare;
            LeadShare = o.LeadShare;
            SacrumDropCm = o.SacrumDropCm;
            DepthReached = o.DepthReached;
            Lockout = o.Lockout;
        }
    }
}
