using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>Receives each lockstep sample the device processes (the frame is reused: copy what you keep).</summary>
    public interface ISampleTap
    {
        void OnSample(SensorFrame frame);
    }
}
