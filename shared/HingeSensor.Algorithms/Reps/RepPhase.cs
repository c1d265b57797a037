namespace HingeSensor.Algorithms.Reps
{
    /// <summary>Where in a hinge the wearer is. Numeric values go on the wire: never renumber.</summary>
    public enum RepPhase
    {
        Standing = 0,
        Descending = 1,
        Bottom = 2,
        Ascending = 3,
    }
}
