namespace HingeSensor.Simulation.Choreography
{
    /// <summary>What the wearer was scripted to do between two times.</summary>
    public enum ActivityKind
    {
        Stand, CalibrateNeutral, CalibrateHinge, ToeTouch, Rep, RestBetweenReps, Walk, Sit, Reach,
        SitToStand, SeatedReach, TieShoe,
    }

    /// <summary>Fault variants the choreographer can script into a rep.</summary>
    public enum FaultVariant
    {
        None, LumbarRounding, ShouldersCollapse, ChinDrop, HeadUp, Partial,
    }

    /// <summary>How a scripted rep gets the torso down (the labels' "pattern").</summary>
    public enum RepPattern
    {
        Hinge, Squat, Stoop,
    }

    /// <summary>How a scripted rep finishes: standing tall, short of it, or leaning back.</summary>
    public enum LockoutVariant
    {
        Ok, Incomplete, OverExtension,
    }

    /// <summary>A scripted stretch of time; for reps, what was planned (the labels measure what happened).</summary>
    public sealed record PlannedActivity(ActivityKind Kind, double StartS, double EndS)
    {
        public int SetIndex { get; init; } = -1;
        public int RepIndex { get; init; } = -1;
        public FaultVariant Fault { get; init; }
        public double PlannedDepthDeg { get; init; }
        public double FaultMagnitudeDeg { get; init; }
        public double FaultOnsetS { get; init; }
        public RepPattern Pattern { get; init; }
        public LockoutVariant Lockout { get; init; }
        public double DescentS { get; init; }
        public double PauseS { get; init; }
        public double AscentS { get; init; }

        /// <summary>A borderline rep: the fault kind whose true peak was calibrated, or null.</summary>
        public string? BorderlineKind { get; init; }

        /// <summary>The requested true peak of <see cref="BorderlineKind"/>'s metric (threshold + offset), degrees.</summary>
        public double BorderlineTargetDeg { get; init; }

        /// <summary>Non-exercise activity: where no alert and no rep may appear.</summary>
        public bool IsOther => Kind is ActivityKind.Walk or ActivityKind.Sit or ActivityKind.Reach or ActivityKind.Stand
            or ActivityKind.SitToStand or ActivityKind.SeatedReach or ActivityKind.TieShoe;

        /// <summary>
        /// Everyday movements the device must stay silent through whatever the angles do (sitting
        /// down and getting up, reaching from a chair, tying a shoe): the labels mark no fault there,
        /// so any alert in them is false.
        /// </summary>
        public bool IsSilent => Kind is ActivityKind.SitToStand or ActivityKind.SeatedReach or ActivityKind.TieShoe;
    }
}
