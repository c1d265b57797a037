using HingeSensor.Protocol;

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

    /// <summary>A channel's health as the protocol reports it (status, SensorHealth event, session file).</summary>
    public static class SensorStates
    {
        /// <summary>One to one (Starting: a chip being reset and configured).</summary>
        public static SensorState Of(ChannelHealth h)
        {
            switch (h)
            {
                case ChannelHealth.Ok: return SensorState.Ok;
                case ChannelHealth.Absent: return SensorState.Absent;
                case ChannelHealth.Starting: return SensorState.Starting;
                default: return SensorState.Retrying;
            }
        }
    }
}
