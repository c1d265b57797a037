using HingeSensor.Nano.Core.Haptics;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>The vibration motor: counts the pulses the haptics play (off → on).</summary>
    public sealed class CountingMotor : IMotor
    {
        private bool _on;

        public int Pulses;

        public void SetDuty(float duty)
        {
            bool on = duty > 0f;
            if (on && !_on) Pulses++;
            _on = on;
        }
    }
}
