namespace HingeSensor.Simulation.Choreography
{
    /// <summary>What the wearer was scripted to do between two times.</summary>
    public enum ActivityKind
    {
        Stand, CalibrateNeutral, CalibrateHinge, ToeTouch, Rep, RestBetweenReps, Walk, Sit, Reach,
    }

    /// <summary>Fault variants the choreographer can script into a rep.</summary>
    public enum FaultVariant
    {
        None, LumbarRounding, ShouldersCollapse, ChinDrop, HeadUp, Partial,
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

        /// <summary>Non-exercise activity: where no alert and no rep may appear.</summary>
        public bool IsOther => Kind is ActivityKind.Walk or ActivityKind.Sit or ActivityKind.Reach or ActivityKind.Stand;
    }
}
