using System.Collections.Generic;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>Keeps copies of the lockstep samples the device processed.</summary>
    public sealed class Tap : ISampleTap
    {
        public readonly List<SensorFrame> Frames = new();

        public void OnSample(SensorFrame f)
        {
            var c = new SensorFrame();
            c.CopyFrom(f);
            Frames.Add(c);
        }
    }
}
