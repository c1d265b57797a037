namespace HingeSensor.Algorithms.Coaching
{
    /// <summary>The movement being trained: it decides which pattern earns a cue. Numeric values go on the wire: never renumber.</summary>
    public enum Exercise
    {
        /// <summary>Deadlifts, RDLs, good mornings, kettlebell swings: a squatting rep earns the "hips back" cue.</summary>
        Hinge = 0,
        /// <summary>Squats: the pattern is not cued.</summary>
        Squat = 1,
        /// <summary>Lifting at work, everyday bending: the dowel line only, no pattern cue.</summary>
        Any = 2,
    }
}
