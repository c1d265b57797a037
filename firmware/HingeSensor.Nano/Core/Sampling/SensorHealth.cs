namespace HingeSensor.Nano.Core.Sampling
{
    /// <summary>Health of one sensor channel (the core maps it to the wire's Protocol.SensorState).</summary>
    public enum ChannelHealth
    {
        Ok = 0,

        /// <summary>Lost after running: being retried with backoff.</summary>
        Retrying = 1,

        /// <summary>Never came up since boot (still retried).</summary>
        Absent = 2,

        /// <summary>Coming up (reset and wake in progress).</summary>
        Starting = 3,
    }
}
