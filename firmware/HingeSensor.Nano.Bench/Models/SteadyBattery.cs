using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>A LiPo at 3.9 V, not charging.</summary>
    public sealed class SteadyBattery : IBattery
    {
        public int Millivolts { get { return 3900; } }
        public bool Charging { get { return false; } }
    }
}
